/*
 * Git's smart HTTP protocol on loopback: a small Node HTTP server in front of `git http-backend`,
 * run as a CGI program per request (as Apache or nginx+fcgiwrap would). Every request needs the
 * configured user and token (HTTP basic auth): nobody clones or pushes anonymously. Only the smart
 * endpoints of the one repository are served, and a read-only page per commit
 * (`GET /<repository>/commit/<sha>`, `git show --stat`), so a request delivered through Git has a
 * commit link in the sandbox as it would on a forge.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sameToken } from '../auth/identity';
import type { Logger } from '../kratix';
import { gitEnvironment, runGit } from './gitCommand';

export interface GitHttpServerOptions {
  /** The `git` program (the commit pages). */
  git: string;
  /** The `git-http-backend` program. */
  httpBackend: string;
  /** The bare repository served, at `/<its folder name>`. */
  repositoryDir: string;
  /** 0 picks a free port. */
  port: number;
  username: string;
  token: string;
  logger: Logger;
}

export interface GitHttpServer {
  /** e.g. http://127.0.0.1:41235/kratix-requests.git */
  url: string;
  close(): Promise<void>;
  /** Kills the backends still running (process exit, where only synchronous work is possible). */
  kill(): void;
  /** How many authenticated requests the server has answered at one smart endpoint. */
  served(endpoint: SmartEndpoint): number;
}

const REALM = 'Basic realm="Kratix sandbox Git", charset="UTF-8"';

/** The smart-HTTP endpoints; dumb HTTP (reading repository files) is not served. */
const SMART_PATHS = new Set([
  'info/refs',
  'git-upload-pack',
  'git-receive-pack',
] as const);

/** `info/refs` (a ref listing), `git-upload-pack` (a fetch), `git-receive-pack` (a push). */
export type SmartEndpoint = typeof SMART_PATHS extends Set<infer E> ? E : never;

/** The user of valid basic-auth credentials, or undefined. */
function authenticate(
  req: IncomingMessage,
  username: string,
  token: string,
): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(
    req.headers.authorization ?? '',
  );
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // Both compared, always, so the timing does not tell which one was wrong.
  const userOk = sameToken(user, username);
  const tokenOk = sameToken(password, token);
  return userOk && tokenOk ? user : undefined;
}

/** Where the CGI headers end (a blank line, CRLF or LF), or undefined when not yet read. */
function headerEnd(head: Buffer): { at: number; length: number } | undefined {
  const crlf = head.indexOf('\r\n\r\n');
  const lf = head.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, length: 4 };
  if (lf >= 0) return { at: lf, length: 2 };
  return undefined;
}

function plain(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

/** A full or abbreviated commit id; nothing else reaches `git show` (no refs, no options). */
const COMMIT_ID = /^[0-9a-f]{7,40}$/;

/** `GET <repository>/commit/<sha>`: the commit's `git show --stat --format=fuller`, or 404. */
async function serveCommit(
  req: IncomingMessage,
  res: ServerResponse,
  options: GitHttpServerOptions,
  sha: string,
): Promise<void> {
  req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    plain(res, 405, 'Method not allowed');
    return;
  }
  if (!COMMIT_ID.test(sha)) {
    plain(res, 404, 'Not found');
    return;
  }
  const out = await runGit(
    options.git,
    // `^{commit}`: a blob or tree id (or an ambiguous prefix) is not a commit page.
    [
      'show',
      '--stat',
      '--format=fuller',
      '--no-color',
      `${sha}^{commit}`,
      '--',
    ],
    { cwd: options.repositoryDir, allowFailure: true },
  );
  if (out.code !== 0) {
    plain(res, 404, `No commit ${sha}`);
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': out.stdout.length,
  });
  res.end(req.method === 'HEAD' ? undefined : out.stdout);
}

export async function startGitHttpServer(
  options: GitHttpServerOptions,
): Promise<GitHttpServer> {
  const repoName = path.basename(options.repositoryDir);
  const projectRoot = path.dirname(options.repositoryDir);
  const children = new Set<ChildProcess>();
  const servedCounts = new Map<SmartEndpoint, number>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const user = authenticate(req, options.username, options.token);
    if (!user) {
      req.resume();
      res.setHeader('WWW-Authenticate', REALM);
      plain(res, 401, 'Authentication required');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://git.invalid');
    const prefix = `/${repoName}/`;
    const service = url.pathname.startsWith(prefix)
      ? url.pathname.slice(prefix.length)
      : '';
    if (service.startsWith('commit/')) {
      serveCommit(req, res, options, service.slice('commit/'.length)).catch(
        error => {
          options.logger.error(`git show failed: ${error}`);
          if (!res.headersSent) plain(res, 500, 'git show failed');
          else res.destroy();
        },
      );
      return;
    }
    if (!SMART_PATHS.has(service as SmartEndpoint)) {
      req.resume();
      plain(res, 404, 'Not found');
      return;
    }
    const endpoint = service as SmartEndpoint;
    servedCounts.set(endpoint, (servedCounts.get(endpoint) ?? 0) + 1);
    const child = spawn(options.httpBackend, [], {
      env: gitEnvironment({
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        GATEWAY_INTERFACE: 'CGI/1.1',
        SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: `/${repoName}/${service}`,
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-length']
          ? { CONTENT_LENGTH: req.headers['content-length'] }
          : {}),
        ...(req.headers['content-encoding']
          ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] }
          : {}),
        ...(typeof req.headers['git-protocol'] === 'string'
          ? { GIT_PROTOCOL: req.headers['git-protocol'] }
          : {}),
        REMOTE_USER: user,
        REMOTE_ADDR: req.socket.remoteAddress ?? '',
      }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.add(child);
    const stderr: Buffer[] = [];
    child.stderr.on('data', chunk => stderr.push(chunk));
    // The backend may answer (and exit) without reading the whole body.
    child.stdin.on('error', () => {});
    req.pipe(child.stdin);

    let head = Buffer.alloc(0);
    let answered = false;
    const onHead = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = headerEnd(head);
      if (!end) return;
      child.stdout.off('data', onHead);
      child.stdout.pause();
      let status = 200;
      const headers: Record<string, string[]> = {};
      for (const line of head
        .subarray(0, end.at)
        .toString('latin1')
        .split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = parseInt(value, 10);
        else (headers[name] ??= []).push(value);
      }
      answered = true;
      res.writeHead(status, headers);
      res.write(head.subarray(end.at + end.length));
      child.stdout.pipe(res);
    };
    child.stdout.on('data', onHead);
    child.on('error', error => {
      children.delete(child);
      options.logger.error(`git http-backend could not start: ${error}`);
      if (!answered) plain(res, 500, 'git http-backend could not start');
    });
    child.on('close', code => {
      children.delete(child);
      const message = Buffer.concat(stderr).toString('utf8').trim();
      if (code !== 0 || message) {
        options.logger.warn(
          `git http-backend ${req.method} ${service} (${user}) exited ${code}${
            message ? `: ${message}` : ''
          }`,
        );
      }
      if (!answered) plain(res, 502, 'git http-backend gave no answer');
    });
    // A client that goes away before the answer is complete takes its backend with it.
    res.on('close', () => {
      if (!res.writableFinished && child.exitCode === null) {
        child.kill('SIGTERM');
      }
    });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const kill = () => {
    for (const child of children) child.kill('SIGKILL');
    children.clear();
  };
  return {
    url: `http://127.0.0.1:${port}/${repoName}`,
    kill,
    served: endpoint => servedCounts.get(endpoint) ?? 0,
    async close() {
      kill();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
