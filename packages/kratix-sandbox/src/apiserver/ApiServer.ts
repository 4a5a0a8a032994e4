/*
 * The Kubernetes HTTP API in front of a Store, enough for kubectl and @kubernetes/client-node:
 * discovery, CRUD with /status, patches, watches, Table output, and Status errors. Every request goes
 * through the apiserver's filter chain: authentication (the admin token, then the configured
 * authenticators; 401 otherwise), impersonation headers, authorization (RBAC when `rbac` is on,
 * otherwise everything is allowed; 403 Forbidden as Kubernetes words it), and a record of who made
 * the call (`requestLog`).
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
  staticTokenAuthenticator,
  type StaticTokenUser,
  type UserInfo,
} from '../auth/identity';
import {
  type Impersonation,
  impersonate,
  ImpersonationHeaderError,
} from '../auth/impersonation';
import { serveReview } from '../auth/reviews';
import { startClusterRoleAggregation } from '../rbac/aggregation';
import { type Attributes, requestAttributes } from '../rbac/attributes';
import {
  alwaysAllow,
  type Authorizer,
  rbacAuthorizer,
  RbacRuleResolver,
} from '../rbac/authorizer';
import { ensureBootstrapPolicy } from '../rbac/bootstrap';
import { EscalationCheck } from '../rbac/escalation';
import { forbiddenError } from '../rbac/forbidden';
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
import { DEFAULT_REQUEST_LOG_SIZE, RequestLog } from './requestLog';
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
  /** Fixed bearer tokens for named users (kube-apiserver's --token-auth-file), tried before `authenticators`. */
  users?: StaticTokenUser[];
  /**
   * Enforce RBAC (Roles, ClusterRoles and their bindings) on every request, with the bootstrap
   * ClusterRoles created when missing. Default false: every authenticated caller may do anything.
   */
  rbac?: boolean;
  /** How many requests `requestLog` keeps (default 1000). */
  requestLogSize?: number;
}

export interface RunningApiServer {
  url: string;
  token: string;
  /** PEM of the serving certificate (for kubeconfig certificate-authority-data), HTTPS only. */
  certificate?: string;
  /** Who made each call: user, groups, impersonator, verb, resource and the decision. */
  requestLog: RequestLog;
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

/** responsewriters.InternalError: a plain-text 500, as the impersonation filter answers. */
function sendInternalErrorText(
  req: IncomingMessage,
  res: ServerResponse,
  message: string,
): void {
  const text = `Internal Server Error: ${JSON.stringify(
    req.url ?? '/',
  )}: ${message}`
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  res.writeHead(500, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(`${text}\n`);
}

function recordOf(
  req: IncomingMessage,
  attributes: Attributes,
  allowed: boolean,
  reason: string,
  impersonator: UserInfo | undefined,
) {
  const { user } = attributes;
  const optional = (value: string) => value || undefined;
  return {
    time: new Date().toISOString(),
    user: user.username,
    groups: [...user.groups],
    ...(user.uid ? { uid: user.uid } : {}),
    ...(user.extra ? { extra: user.extra } : {}),
    ...(impersonator
      ? {
          impersonator: {
            user: impersonator.username,
            groups: [...impersonator.groups],
          },
        }
      : {}),
    verb: attributes.verb,
    method: req.method ?? 'GET',
    path: new URL(req.url ?? '/', 'http://sandbox').pathname,
    resourceRequest: attributes.resourceRequest,
    apiGroup: attributes.apiGroup,
    ...(attributes.resourceRequest
      ? {
          apiVersion: optional(attributes.apiVersion),
          resource: optional(attributes.resource),
          subresource: optional(attributes.subresource),
          namespace: optional(attributes.namespace),
          name: optional(attributes.name),
        }
      : {}),
    allowed,
    ...(reason ? { reason } : {}),
  };
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
    ...(options.users?.length ? [staticTokenAuthenticator(options.users)] : []),
    ...(options.authenticators ?? []),
  ];
  const requestLog = new RequestLog(
    options.requestLogSize ?? DEFAULT_REQUEST_LOG_SIZE,
  );
  let authorizer: Authorizer = alwaysAllow;
  let escalation: EscalationCheck | undefined;
  if (options.rbac) {
    ensureBootstrapPolicy(store);
    startClusterRoleAggregation(store);
    authorizer = rbacAuthorizer(store);
    escalation = new EscalationCheck(authorizer, new RbacRuleResolver(store));
  }
  const record = (
    req: IncomingMessage,
    attributes: Attributes,
    allowed: boolean,
    reason: string,
    impersonator?: UserInfo,
  ) => requestLog.add(recordOf(req, attributes, allowed, reason, impersonator));
  const openWatches = new Set<() => void>();
  let address = '';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const caller = await authenticated(req, authenticators);
      const url = new URL(req.url ?? '/', 'http://sandbox');
      let identity: Impersonation;
      try {
        identity = impersonate(req, caller, authorizer, (attributes, reason) =>
          record(req, attributes, false, reason),
        );
      } catch (error) {
        if (!(error instanceof ImpersonationHeaderError)) throw error;
        sendInternalErrorText(req, res, error.message);
        return;
      }
      const attributes = requestAttributes(
        identity.user,
        req.method ?? 'GET',
        url,
      );
      const decision = authorizer.authorize(attributes);
      record(
        req,
        attributes,
        decision.allowed,
        decision.reason,
        identity.impersonator,
      );
      if (!decision.allowed) throw forbiddenError(attributes, decision.reason);
      // RBAC writes also pass RBAC's escalation checks, as the caller.
      const requestStore = escalation
        ? escalation.storeFor(identity.user, store)
        : store;
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
        const type = store.getType({
          group: route.group,
          plural: route.resource,
        });
        if (type?.createOnly) {
          await serveReview({
            req,
            res,
            route,
            type,
            user: identity.user,
            authorizer,
          });
          return;
        }
        await handleResource(
          requestStore,
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
    requestLog,
    close: () =>
      new Promise<void>(resolve => {
        for (const end of [...openWatches]) end();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
