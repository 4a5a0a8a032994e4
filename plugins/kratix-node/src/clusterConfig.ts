/* Reads `kratix.clusters` and `kratix.creation` (see config.d.ts) into plain, validated values. */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { KratixClusterDetails } from './clusterDetails';
import { readClusterDelivery } from './creation/deliveryTarget';

/**
 * What Backstage users may create through Backstage (`kratix.creation`).
 *
 * @public
 */
export interface CreationBounds {
  allowedPromises?: string[];
  allowedNamespaces: string[];
  allowedClusters?: string[];
  /** How deeply a spec may nest (create and update); deeper is a 400 naming the field. Default 32. */
  maxSpecDepth?: number;
}

/** Default of `kratix.creation.maxSpecDepth`. */
export const DEFAULT_MAX_SPEC_DEPTH = 32;

/** Auth types that find the API server themselves, so a cluster using them needs no url. */
const BRINGS_ITS_OWN_URL = new Set(['kubeconfig', 'inCluster']);

/**
 * The clusters configured under `kratix.clusters`.
 *
 * @public
 */
export function readClusterConfigs(config: Config): KratixClusterDetails[] {
  const entries = config.getOptionalConfigArray('kratix.clusters') ?? [];
  const seen = new Set<string>();
  return entries.map(entry => {
    const name = entry.getString('name');
    if (seen.has(name)) {
      throw new InputError(`kratix.clusters: the name "${name}" is used twice`);
    }
    seen.add(name);
    const auth = entry.getOptionalConfig('auth');
    const cluster: KratixClusterDetails = {
      name,
      title: entry.getOptionalString('title'),
      url: entry.getOptionalString('url'),
      // The strategy named by auth.type validates its own keys.
      auth: auth && { ...auth.get<object>(), type: auth.getString('type') },
      caData: entry.getOptionalString('caData'),
      caFile: entry.getOptionalString('caFile'),
      skipTLSVerify: entry.getOptionalBoolean('skipTLSVerify') ?? false,
      requestTimeoutMs: entry.getOptionalNumber('requestTimeoutMs'),
      delivery: readClusterDelivery(
        entry.getOptionalConfig('delivery'),
        `kratix.clusters[${name}].delivery`,
      ),
    };
    if (!cluster.url && !BRINGS_ITS_OWN_URL.has(cluster.auth?.type ?? '')) {
      throw new InputError(
        `kratix.clusters[${name}] needs a url (or auth.type kubeconfig or inCluster)`,
      );
    }
    return cluster;
  });
}

/**
 * The creation bounds under `kratix.creation`; only the `default` namespace when unset.
 *
 * @public
 */
export function readCreationBounds(config: Config): CreationBounds {
  const creation = config.getOptionalConfig('kratix.creation');
  return {
    allowedPromises: creation?.getOptionalStringArray('allowedPromises'),
    allowedNamespaces: creation?.getOptionalStringArray(
      'allowedNamespaces',
    ) ?? ['default'],
    allowedClusters: creation?.getOptionalStringArray('allowedClusters'),
    maxSpecDepth: positiveInteger(creation, 'maxSpecDepth'),
  };
}

function positiveInteger(
  config: Config | undefined,
  key: string,
): number | undefined {
  const value = config?.getOptionalNumber(key);
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new InputError(
      `kratix.creation.${key} must be a positive whole number, got ${value}`,
    );
  }
  return value;
}
