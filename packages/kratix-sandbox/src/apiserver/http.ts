/* Request/response plumbing: bodies with the apiserver's size limit, JSON answers, Status errors. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import {
  badRequest,
  isKubeApiError,
  internalError,
  requestEntityTooLarge,
  type KubeApiError,
} from '../store/errors';
import { checkNestingDepth } from '../store/nesting';
import { decodeProtobufObject, isProtobuf } from './protobuf';

/** The apiserver's limit for a request body (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readRawBody(req)).toString('utf8');
}

/** The body as bytes (protobuf bodies are binary), within the apiserver's size limit. */
export function readRawBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(requestEntityTooLarge());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(requestEntityTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** JSON or YAML (apply patches, `kubectl create --raw`), as the content type says. */
export function parseBody(text: string, contentType: string): unknown {
  if (!text.trim()) return undefined;
  let body: unknown;
  try {
    body = contentType.includes('yaml') ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw badRequest(
      `the object provided is unrecognized: ${
        (error as Error).message.split('\n')[0]
      }`,
    );
  }
  // Every body, before any handler recurses into it (see nesting.ts).
  checkNestingDepth(body);
  return body;
}

/**
 * An object body in JSON, YAML or (for the built-in kinds kubectl's typed clients send) Kubernetes
 * protobuf; undefined when empty.
 */
export async function readObjectBody(req: IncomingMessage): Promise<unknown> {
  const contentType = req.headers['content-type'] ?? 'application/json';
  const raw = await readRawBody(req);
  if (isProtobuf(contentType)) return decodeProtobufObject(raw);
  return parseBody(raw.toString('utf8'), contentType);
}

/** Responses whose request asked for `?pretty=true`. */
const prettyResponses = new WeakSet<ServerResponse>();

/** Indent this response's JSON, as `?pretty=true` asks. */
export function markPretty(res: ServerResponse): void {
  prettyResponses.add(res);
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
): void {
  const text = prettyResponses.has(res)
    ? `${JSON.stringify(body, null, 2)}\n`
    : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function toApiError(error: unknown): KubeApiError {
  return isKubeApiError(error)
    ? error
    : internalError((error as Error)?.message ?? String(error));
}

export function sendError(res: ServerResponse, error: unknown): void {
  const apiError = toApiError(error);
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, apiError.code, apiError.toStatus());
}

export interface MediaType {
  type: string;
  params: Record<string, string>;
}

/** `application/json;as=Table;v=v1;g=meta.k8s.io, application/json` → media types in order. */
export function parseAccept(header: string | undefined): MediaType[] {
  if (!header) return [{ type: '*/*', params: {} }];
  return header.split(',').map(part => {
    const [type, ...params] = part.split(';').map(s => s.trim());
    return {
      type: type.toLowerCase(),
      params: Object.fromEntries(
        params.map(p => {
          const eq = p.indexOf('=');
          return eq < 0
            ? [p, '']
            : [p.slice(0, eq).trim(), p.slice(eq + 1).trim()];
        }),
      ),
    };
  });
}
