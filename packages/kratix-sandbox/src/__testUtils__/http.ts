/* Raw HTTP calls to an API server under test, as a given bearer token, with the reply parsed. */
import { request } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  text: string;
}

export interface CallOptions {
  /** Bearer token; none when null. */
  token: string | null;
  /** JSON-encoded unless a string or Buffer. */
  body?: unknown;
  headers?: Record<string, string | string[]>;
}

/** One request to `baseUrl` (plain HTTP: the servers under test run with tls: false). */
export function call(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions,
): Promise<Reply> {
  const raw =
    options.body === undefined ||
    typeof options.body === 'string' ||
    Buffer.isBuffer(options.body)
      ? (options.body as string | Buffer | undefined)
      : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...(raw !== undefined && !options.headers?.['Content-Type']
          ? { 'Content-Type': 'application/json' }
          : {}),
        ...options.headers,
      },
    });
    req.on('response', res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text,
        });
      });
    });
    req.on('error', reject);
    req.end(raw);
  });
}
