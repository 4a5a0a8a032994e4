/*
 * The Kubernetes HTTP API in front of a Store, enough for kubectl and @kubernetes/client-node:
 * discovery, CRUD with /status, patches, watches, Table output, and Status errors. Every route
 * needs the bearer token.
 */
import { randomBytes } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import {
  adminTokenAuthenticator,
  authenticate,
  AuthenticationRejected,
  type Authenticator,
  type UserInfo,
} from '../auth/identity';
import {
  methodNotAllowed,
  resourceNotFound,
  unauthorized,
} from '../store/errors';
import type { Store } from '../store/types';
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  SERVER_VERSION,
} from './discovery';
import { markPretty, sendError, sendJson } from './http';
import { type PodLogLookup, servePodLog } from './podLogs';
import { wantsPretty } from './queryBool';
import { isOpenApiPath, serveOpenApi } from './openapi';
import { handleResource } from './resources';
import { parseRoute } from './routes';
import { selfSignedCertificate } from './tls';
import type { TlsOptions } from './types';

export interface ApiServerOptions {
  store: Store;
  host?: string;
  port?: number;
  /** The bearer token clients must send; a random one is made when absent. */
  token?: string;
  /**
   * HTTPS with this certificate (PEM), or with a fresh self-signed one ('self-signed', the
   * default: kubectl sends bearer tokens over HTTPS only); false for plain HTTP.
   */
  tls?: TlsOptions | 'self-signed' | false;
  /** Where pods/log finds a container's output (the emulator's pipeline Pods). */
  podLogs?: PodLogLookup;
  /**
   * More ways to authenticate a request (static tokens, OIDC), tried in order after the admin
   * token; a request none recognises is 401.
   */
  authenticators?: Authenticator[];
}

export interface RunningApiServer {
  url: string;
  token: string;
  /** PEM of the serving certificate (for kubeconfig certificate-authority-data), HTTPS only. */
  certificate?: string;
  close(): Promise<void>;
}

/** The caller, or a 401: unrecognised credentials say `Unauthorized`, rejected ones say why. */
async function authenticated(
  req: IncomingMessage,
  authenticators: readonly Authenticator[],
): Promise<UserInfo> {
  let user: UserInfo | undefined;
  try {
    user = await authenticate(req, authenticators);
  } catch (error) {
    if (error instanceof AuthenticationRejected) {
      throw unauthorized(error.message);
    }
    throw error;
  }
  if (!user) throw unauthorized();
  return user;
}

function discovery(
  store: Store,
  route: ReturnType<typeof parseRoute>,
  address: string,
): unknown {
  switch (route.kind) {
    case 'version':
      return SERVER_VERSION;
    case 'legacyVersions':
      return apiVersions(address);
    case 'groupList':
      return apiGroupList(store);
    case 'group':
      return apiGroup(store, route.group);
    case 'resourceList':
      return apiResourceList(store, route.group, route.version);
    default:
      return undefined;
  }
}

export async function startApiServer(
  options: ApiServerOptions,
): Promise<RunningApiServer> {
  const { store, host = '127.0.0.1', port = 0 } = options;
  const requested = options.tls ?? 'self-signed';
  const tls =
    requested === 'self-signed'
      ? selfSignedCertificate([host])
      : requested || undefined;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const authenticators = [
    adminTokenAuthenticator(token),
    ...(options.authenticators ?? []),
  ];
  const openWatches = new Set<() => void>();
  let address = '';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      await authenticated(req, authenticators);
      const url = new URL(req.url ?? '/', 'http://sandbox');
      if (req.method === 'GET' && isOpenApiPath(url.pathname)) {
        serveOpenApi(store, url.pathname, req, res);
        return;
      }
      if (wantsPretty(url.searchParams)) markPretty(res);
      const route = parseRoute(url.pathname);
      if (
        route.kind === 'resource' &&
        route.group === '' &&
        route.version === 'v1' &&
        route.resource === 'pods' &&
        route.subresource === 'log' &&
        route.namespace !== undefined &&
        route.name !== undefined
      ) {
        servePodLog(
          store,
          req,
          res,
          { namespace: route.namespace, name: route.name },
          url.searchParams,
          options.podLogs,
          openWatches,
        );
        return;
      }
      if (route.kind === 'resource') {
        await handleResource(
          store,
          req,
          res,
          route,
          url.searchParams,
          openWatches,
        );
        return;
      }
      if (route.kind === 'unknown') throw resourceNotFound();
      if (req.method !== 'GET') throw methodNotAllowed();
      if (route.kind === 'health') {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('ok');
        return;
      }
      const document = discovery(store, route, address);
      if (document === undefined) throw resourceNotFound();
      sendJson(res, 200, document);
    } catch (error) {
      sendError(res, error);
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(error => sendError(res, error));
  };
  const server: Server = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener)
    : createHttpServer(listener);
  // Watches are long-lived; only their own timeoutSeconds ends them.
  server.requestTimeout = 0;
  // closeAllConnections() only knows connections with an HTTP request parsed; a client still in its
  // TLS handshake (an informer reconnecting during shutdown) would keep close() waiting forever.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const hostPart =
    bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  address = `${hostPart}:${bound.port}`;
  const url = `${tls ? 'https' : 'http'}://${address}`;

  return {
    url,
    token,
    ...(tls ? { certificate: tls.cert } : {}),
    close: () =>
      new Promise<void>(resolve => {
        for (const end of [...openWatches]) end();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
