/*
 * A self-signed serving certificate for the API server. kubectl (client-go) never sends a bearer
 * token over plain HTTP, so token auth needs HTTPS. The key pair comes from node:crypto (fast);
 * `selfsigned` (node-forge) only builds and signs the certificate.
 */
import { generateKeyPairSync } from 'node:crypto';
import { generate } from 'selfsigned';
import type { TlsOptions } from './types';

export function selfSignedCertificate(
  hosts: string[] = ['127.0.0.1', 'localhost'],
): TlsOptions {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const altNames = [...new Set([...hosts, '127.0.0.1', 'localhost'])].map(
    host =>
      /^[\d.]+$/.test(host) || host.includes(':')
        ? { type: 7, ip: host }
        : { type: 2, value: host },
  );
  const pems = generate([{ name: 'commonName', value: 'kratix-sandbox' }], {
    days: 365,
    algorithm: 'sha256',
    keyPair: { privateKey, publicKey },
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'keyUsage',
        digitalSignature: true,
        keyEncipherment: true,
        keyCertSign: true,
      },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  } as Parameters<typeof generate>[1]);
  return { cert: pems.cert, key: pems.private };
}
