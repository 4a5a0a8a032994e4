/*
 * Where a request to a cluster goes: straight to its API (`direct`), or into a Git repository
 * (`gitops`, `pull-request`). Read from `kratix.clusters[].delivery` (a supplier may set it on the
 * clusters it supplies), with per-Promise overrides; the file path is documented in docs/gitops.md.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type {
  KratixClusterInfo,
  KratixDeliveryView,
} from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixClusterDelivery,
  KratixGitDeliveryTarget,
} from '../clusterDetails';
import { withoutCredentials } from '../delivery/repositoryUrl';

const MODES = ['direct', 'gitops', 'pull-request'] as const;
const DEFAULT_BRANCH = 'main';
const DEFAULT_PATH = 'kratix-requests';

/** `kratix.clusters[<name>].delivery`, checked: a bad mode or a Git mode without a repository stops startup. */
export function readClusterDelivery(
  config: Config | undefined,
  key: string,
): KratixClusterDelivery | undefined {
  if (!config) return undefined;
  const promises: KratixClusterDelivery['promises'] = {};
  for (const promise of config.getOptionalConfig('promises')?.keys() ?? []) {
    promises[promise] = readDeliveryKeys(
      config.getConfig(`promises.${promise}`),
      `${key}.promises.${promise}`,
    );
  }
  const delivery: KratixClusterDelivery = {
    mode: 'direct',
    ...readDeliveryKeys(config, key),
    promises,
  };
  // Checks every Promise's result now, so a bad override fails at startup, not at a request.
  for (const promise of [undefined, ...Object.keys(promises)]) {
    resolveDelivery(delivery, promise, key);
  }
  return delivery;
}

function readDeliveryKeys(
  config: Config,
  key: string,
): Partial<Omit<KratixClusterDelivery, 'promises'>> {
  const mode = config.getOptionalString('mode');
  if (mode !== undefined && !(MODES as readonly string[]).includes(mode)) {
    throw new InputError(
      `${key}.mode must be one of ${MODES.join(', ')}, got "${mode}"`,
    );
  }
  const path = config.getOptionalString('path');
  if (path !== undefined && (path.startsWith('/') || path.includes('..'))) {
    throw new InputError(
      `${key}.path must be a folder inside the repository, got "${path}"`,
    );
  }
  const values = {
    mode: mode as KratixClusterDelivery['mode'] | undefined,
    repository: config.getOptionalString('repository'),
    branch: config.getOptionalString('branch'),
    path,
    commitUrlTemplate: config.getOptionalString('commitUrlTemplate'),
  };
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined),
  );
}

/**
 * The Git target for a request to this cluster and Promise; undefined when it goes direct.
 * `key` names the config in errors.
 */
export function resolveDelivery(
  delivery: KratixClusterDelivery | undefined,
  promise: string | undefined,
  key = 'delivery',
): KratixGitDeliveryTarget | undefined {
  if (!delivery) return undefined;
  const { promises, ...cluster } = delivery;
  const merged = { ...cluster, ...(promise ? promises?.[promise] : {}) };
  if (merged.mode === 'direct' || merged.mode === undefined) return undefined;
  if (!merged.repository) {
    throw new InputError(
      `${key}${promise ? `.promises.${promise}` : ''}: mode ${
        merged.mode
      } needs a repository`,
    );
  }
  return {
    mode: merged.mode,
    repository: merged.repository,
    branch: merged.branch ?? DEFAULT_BRANCH,
    path: (merged.path ?? DEFAULT_PATH).replace(/^\.?\/+|\/+$/g, ''),
    commitUrlTemplate: merged.commitUrlTemplate,
  };
}

/** What the frontend is told of a target: mode, repository (never with credentials), branch. */
function viewOf(
  target: KratixGitDeliveryTarget | undefined,
): KratixDeliveryView {
  if (!target) return { mode: 'direct' };
  return {
    mode: target.mode,
    repository: withoutCredentials(target.repository),
    branch: target.branch,
  };
}

/**
 * The delivery part of a cluster's `KratixClusterInfo`: its mode and target, and the Promises whose
 * resolved delivery differs from it (so the tab's dialogs can say what an action will do).
 */
export function deliveryInfoOf(
  delivery: KratixClusterDelivery | undefined,
  key: string,
): Pick<KratixClusterInfo, 'delivery' | 'deliveryTarget' | 'promiseDelivery'> {
  if (!delivery) return {};
  const cluster = viewOf(resolveDelivery(delivery, undefined, key));
  const promiseDelivery: Record<string, KratixDeliveryView> = {};
  for (const promise of Object.keys(delivery.promises ?? {})) {
    const view = viewOf(resolveDelivery(delivery, promise, key));
    if (
      view.mode !== cluster.mode ||
      view.repository !== cluster.repository ||
      view.branch !== cluster.branch
    ) {
      promiseDelivery[promise] = view;
    }
  }
  return {
    ...(cluster.mode !== 'direct'
      ? {
          delivery: cluster.mode,
          deliveryTarget: {
            repository: cluster.repository,
            branch: cluster.branch,
          },
        }
      : {}),
    ...(Object.keys(promiseDelivery).length > 0 ? { promiseDelivery } : {}),
  };
}

/**
 * The file a Resource's manifest lives in: `<path>/<cluster>/<namespace>/<promise>/<name>.yaml`.
 *
 * @public
 */
export function manifestPath(
  target: Pick<KratixGitDeliveryTarget, 'path'>,
  resource: {
    cluster: string;
    namespace: string;
    promise: string;
    name: string;
  },
): string {
  const parts = [
    resource.cluster,
    resource.namespace,
    resource.promise,
    `${resource.name}.yaml`,
  ];
  return [target.path, ...parts].filter(Boolean).join('/');
}
