/*
 * A stand-in forge on loopback for the pull-request tests: its Git endpoints proxy Git's smart HTTP
 * to the sandbox's real Git server (so pushes are real), after checking the credentials the forge
 * expects; its API answers whatever the test routes (recorded GitHub/GitLab shapes) and records
 * every call. A hook runs before each Git request is forwarded, where a test can make a competing
 * push at an exact point of the protocol.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** @public */
export interface RecordedApiCall {
  method: string;
  /** Path and query, e.g. /api/v3/repos/acme/requests/pulls */
  path: string;
  headers: IncomingMessage['headers'];
  /** The JSON body, parsed (undefined without one). */
  body: any;
}

/** @public */
export interface ApiAnswer {
  status: number;
  body?: unknown;
}

/** @public */
export interface GitRequestInfo {
  /** `info/refs`, `git-upload-pack` or `git-receive-pack`. */
  endpoint: string;
  /** For info/refs: the service asked for. */
  service?: string;
  method: string;
}

/** @public */
export interface LoopbackForgeOptions {
  /** The sandbox Git server's clone URL, e.g. http://127.0.0.1:4000/kratix-requests.git */
  upstream: string;
  upstreamUsername: string;
  upstreamToken: string;
  /** The repository path this forge serves, e.g. /acme/platform-requests.git */
  repositoryPath: string;
  /** The basic-auth credentials the forge accepts for Git. */
  username: string;
  password: string;
  /** Answers API calls (any path not under repositoryPath). */
  api?: (call: RecordedApiCall) => ApiAnswer | Promise<ApiAnswer>;
  /** Runs before a Git request is forwarded upstream. */
  beforeGit?: (info: GitRequestInfo) => Promise<void> | void;
}

/** @public */
export interface LoopbackForge {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** origin + repositoryPath */
  cloneUrl: string;
  host: string;
  apiCalls: RecordedApiCall[];
  gitRequests: GitRequestInfo[];
  options: LoopbackForgeOptions;
  close(): Promise<void>;
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** @public */
export async function startLoopbackForge(
  options: LoopbackForgeOptions,
): Promise<LoopbackForge> {
  const apiCalls: RecordedApiCall[] = [];
  const gitRequests: GitRequestInfo[] = [];
  const upstream = new URL(options.upstream);

  const git = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    endpoint: string,
  ) => {
    if (
      req.headers.authorization !== basic(options.username, options.password)
    ) {
      req.resume();
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="forge"' });
      res.end('Authentication required\n');
      return;
    }
    const info: GitRequestInfo = {
      endpoint,
      service: url.searchParams.get('service') ?? undefined,
      method: req.method ?? 'GET',
    };
    gitRequests.push(info);
    // The body is read first so a hook can run with the client's request complete.
    const body = await readBody(req);
    await options.beforeGit?.(info);
    const headers = { ...req.headers };
    delete headers.host;
    headers.authorization = basic(
      options.upstreamUsername,
      options.upstreamToken,
    );
    headers['content-length'] = String(body.length);
    delete headers['transfer-encoding'];
    const forwarded = httpRequest(
      `${upstream.origin}${upstream.pathname}/${endpoint}${url.search}`,
      { method: req.method, headers },
      upstreamRes => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forwarded.on('error', error => {
      res.writeHead(502);
      res.end(String(error));
    });
    forwarded.end(body);
  };

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const raw = (await readBody(req)).toString('utf8');
    const call: RecordedApiCall = {
      method: req.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers: req.headers,
      body: raw ? JSON.parse(raw) : undefined,
    };
    apiCalls.push(call);
    const answer = options.api
      ? await options.api(call)
      : { status: 404, body: { message: 'Not Found' } };
    res.writeHead(answer.status, {
      'Content-Type': 'application/json; charset=utf-8',
    });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://forge.invalid');
    const prefix = `${options.repositoryPath}/`;
    const handler = url.pathname.startsWith(prefix)
      ? git(req, res, url, url.pathname.slice(prefix.length))
      : api(req, res, url);
    handler.catch(error => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    host: `127.0.0.1:${port}`,
    cloneUrl: `${origin}${options.repositoryPath}`,
    apiCalls,
    gitRequests,
    options,
    async close() {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
