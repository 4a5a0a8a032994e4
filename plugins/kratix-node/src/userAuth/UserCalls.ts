/*
 * Calls to a cluster as a Backstage user: with the service account's credentials and
 * `Impersonate-User`/`Impersonate-Group` (impersonate), or with the user's own ID token (oidc).
 * Node's https module sends a repeated header once per value, as Kubernetes reads
 * Impersonate-Group; the generated client would join the groups into one value.
 */
import { NotAllowedError } from '@backstage/errors';
import type { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import {
  idTokenOf,
  KratixSignInRequiredError,
  kubernetesUserOf,
  type KratixCaller,
  type KratixClusterUserAuth,
} from './clusterUserAuth';

/** A failed call, shaped as client-node's ApiException so clusterErrors.ts reads it. */
class UserCallError extends Error {
  constructor(readonly code: number, readonly body: string) {
    super(`HTTP ${code}`);
  }
}

function statusMessage(body: string): string {
  try {
    const parsed = JSON.parse(body);
    if (typeof parsed?.message === 'string') return parsed.message;
  } catch {
    // Not a Status: say only the code.
  }
  return 'no reason given';
}

export interface UserCallsOptions {
  cluster: string;
  kubeConfig: KubeConfig;
  userAuth: KratixClusterUserAuth;
}

export class UserCalls {
  constructor(private readonly options: UserCallsOptions) {}

  /** Who the cluster sees for this caller (recorded in errors and tests). */
  kubernetesUser(caller: KratixCaller) {
    return kubernetesUserOf(
      this.options.cluster,
      this.options.userAuth,
      caller,
    );
  }

  /**
   * One API call as the caller; resolves with the parsed body. The platform's 403 is a
   * NotAllowedError carrying Kubernetes' reason; an `oidc` cluster's 401 asks to sign in again.
   */
  async request<T>(
    caller: KratixCaller,
    call: {
      method: string;
      path: string;
      query?: Record<string, string | undefined>;
      body?: unknown;
      contentType?: string;
    },
  ): Promise<T> {
    const { cluster, kubeConfig, userAuth } = this.options;
    const server = kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error(`Cluster ${cluster} has no server URL`);
    const url = new URL(call.path, server);
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const options: https.RequestOptions = {};
    await kubeConfig.applyToHTTPSOptions(options);
    const headers: Record<string, string | string[]> = {
      ...(options.headers as Record<string, string>),
      Accept: 'application/json',
    };
    if (userAuth.type === 'impersonate') {
      const user = this.kubernetesUser(caller);
      headers['Impersonate-User'] = user.username;
      if (user.groups.length > 0) headers['Impersonate-Group'] = user.groups;
    } else {
      headers.Authorization = `Bearer ${idTokenOf(
        cluster,
        userAuth.provider,
        caller,
      )}`;
    }
    const payload =
      call.body === undefined ? undefined : JSON.stringify(call.body);
    if (payload !== undefined) {
      headers['Content-Type'] = call.contentType ?? 'application/json';
      // Node frames a DELETE's body only with a length (it chunks POST/PUT/PATCH, not DELETE).
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const { status, body } = await new Promise<{
      status: number;
      body: string;
    }>((resolve, reject) => {
      const transport = url.protocol === 'https:' ? https : http;
      const req = transport.request(
        url,
        { ...options, method: call.method, headers },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    if (status === 403) {
      throw new NotAllowedError(
        `The platform (cluster ${cluster}) refused: ${statusMessage(body)}`,
      );
    }
    if (status === 401 && userAuth.type === 'oidc') {
      throw new KratixSignInRequiredError(
        cluster,
        userAuth.provider,
        `the platform did not accept the ID token: ${statusMessage(body)}`,
      );
    }
    if (status >= 400) throw new UserCallError(status, body);
    return (body ? JSON.parse(body) : undefined) as T;
  }
}
