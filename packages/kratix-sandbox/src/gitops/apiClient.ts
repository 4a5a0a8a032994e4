/*
 * The Git sync's writes, sent to the sandbox's Kubernetes API server with the sandbox's own admin
 * token, as a GitOps agent in the cluster would send them: authorized, admitted and recorded in the
 * request log like any other client's.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ResourceType } from '../store/types';

export interface ApiTarget {
  url: string;
  token: string;
  /** The API server's certificate (PEM), trusted for this client only. */
  certificate?: string;
}

/** A refusal from the API server: its status code and the message of its Status. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** /api/v1/namespaces/default/... or /apis/<group>/<version>/... */
export function resourcePath(
  type: ResourceType,
  version: string,
  namespace: string | undefined,
  name?: string,
): string {
  const base = type.group
    ? `/apis/${type.group}/${version}`
    : `/api/${version}`;
  const ns =
    type.namespaced && namespace
      ? `/namespaces/${encodeURIComponent(namespace)}`
      : '';
  return `${base}${ns}/${type.plural}${
    name ? `/${encodeURIComponent(name)}` : ''
  }`;
}

/** Long enough for any write to the in-process store; a hung call must not hang every later sync. */
const CALL_TIMEOUT_MS = 30_000;

export function callApi(
  target: ApiTarget,
  method: 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body: unknown,
  contentType = 'application/json',
): Promise<any> {
  const url = new URL(path, target.url);
  const raw = JSON.stringify(body);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method,
      ...(url.protocol === 'https:' && target.certificate
        ? { ca: target.certificate }
        : {}),
      headers: {
        Authorization: `Bearer ${target.token}`,
        'Content-Type': contentType,
        Accept: 'application/json',
        'User-Agent': 'kratix-sandbox-git-sync',
      },
      timeout: CALL_TIMEOUT_MS,
    });
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${path}: no answer after 30 s`)),
    );
    req.on('error', reject);
    req.on('response', res => {
      const chunks: Buffer[] = [];
      res.on('data', chunk => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: any;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(parsed);
        else
          reject(
            new ApiError(
              status,
              typeof parsed?.message === 'string'
                ? parsed.message
                : `${status} ${text.trim()}`,
            ),
          );
      });
    });
    req.end(raw);
  });
}
