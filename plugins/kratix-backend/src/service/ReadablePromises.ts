/*
 * The Promises a caller may list: `kratix.promise.read` decided here, once, for both the route
 * (GET /promises) and the MCP action (list-promises), so the two cannot come to differ.
 */
import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  kratixPromiseReadPermission,
  type KratixClusterError,
  type KratixPromiseView,
} from '@kratix-backstage/plugin-kratix-common';
import type { KratixClusterService } from '@kratix-backstage/plugin-kratix-node';

export class ReadablePromises {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly clusters: KratixClusterService,
  ) {}

  /** Every cluster's Promises and the clusters that could not be read; NotAllowedError if refused. */
  async list(credentials: BackstageCredentials): Promise<{
    items: KratixPromiseView[];
    errors: KratixClusterError[];
  }> {
    const [decision] = await this.permissions.authorize(
      [{ permission: kratixPromiseReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You may not list Kratix Promises');
    }
    return this.clusters.listPromises();
  }
}
