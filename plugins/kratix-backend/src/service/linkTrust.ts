/*
 * Link trust: an entity's annotations only *claim* links to Resources; a claim is honoured when the
 * platform side agrees. Sources of agreement, in order:
 *   1. the Resource is bound to the entity itself, not to its name: its
 *      `kratix.backstage.io/entity-ref` names the entity and its recorded uid matches, or the
 *      platform vouches through `kratix.backstage.io/owner` and a trusted location (kratix-node's
 *      binding/EntityBinding.ts; creation through Backstage records both, after deciding
 *      `kratix.resource.create` on that entity);
 *   2. the entity was produced from the platform by the Kratix catalog provider (its
 *      `backstage.io/managed-by-location` is `kratix-platform:<cluster>`, which only an entity
 *      provider can set);
 *   3. `kratix.namespaceOwners` maps the Resource's namespace (on its cluster) to one of the entity's
 *      owners.
 * `kratix.linkTrust: catalog` skips all of this and trusts every claim (weaker: for catalogs only
 * admins can write).
 */
import { ANNOTATION_LOCATION, type Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  KRATIX_PROVIDER_LOCATION_TYPE,
  normalizeEntityRef,
  type KratixLinkConfirmation,
} from '@kratix-backstage/plugin-kratix-common';
import {
  EntityBinding,
  entityOwners,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';

export type LinkTrustMode = 'platform' | 'catalog';

export interface NamespaceOwnership {
  /** Undefined: the namespace on every cluster. */
  cluster?: string;
  namespace: string;
  /** Lower-cased entity refs of the owning groups or users. */
  owners: string[];
}

export class LinkTrust {
  static fromConfig(config: Config): LinkTrust {
    const mode = config.getOptionalString('kratix.linkTrust') ?? 'platform';
    if (mode !== 'platform' && mode !== 'catalog') {
      throw new InputError(
        `kratix.linkTrust: must be "platform" or "catalog", not "${mode}"`,
      );
    }
    const mappings = (
      config.getOptionalConfigArray('kratix.namespaceOwners') ?? []
    ).map((entry, index) => {
      const owners = entry.getStringArray('owners').map(owner => {
        const ref = normalizeEntityRef(
          owner.includes(':') ? owner : `group:${owner}`,
        );
        if (!ref) {
          throw new InputError(
            `kratix.namespaceOwners[${index}].owners: "${owner}" is not an entity reference`,
          );
        }
        return ref;
      });
      return {
        cluster: entry.getOptionalString('cluster'),
        namespace: entry.getString('namespace'),
        owners,
      };
    });
    return new LinkTrust(mode, mappings, EntityBinding.fromConfig(config));
  }

  constructor(
    readonly mode: LinkTrustMode,
    private readonly namespaceOwnership: NamespaceOwnership[] = [],
    readonly binding: EntityBinding = new EntityBinding([]),
  ) {}

  /** How the platform confirms that `entity` links to `resource`; undefined when it does not. */
  confirm(
    entity: Entity,
    resource: ResolvedResource,
  ): KratixLinkConfirmation | undefined {
    if (this.mode === 'catalog') return 'catalog';
    if (this.binding.check(entity, resource.object).bound) return 'entity-ref';
    return this.confirmWithoutResource(entity, {
      cluster: resource.kind.cluster,
      namespace: resource.object.metadata.namespace ?? 'default',
    });
  }

  /**
   * Whether a Resource the entity does not claim belongs to it on the platform's word alone (it is
   * then listed with the entity's claimed Resources): its entity-ref annotation names the entity
   * and either binds to it by identity (EntityBinding), or `kratix.namespaceOwners` maps its
   * namespace to one of the entity's owners. The catalog-side sources (`kratix.linkTrust: catalog`,
   * an entity the provider produced) confirm claims only, so they add nothing here.
   */
  platformLink(
    entity: Entity,
    resource: ResolvedResource,
  ): 'entity-ref' | 'namespace-owner' | undefined {
    const result = this.binding.check(entity, resource.object);
    if (result.bound) return 'entity-ref';
    if (result.reason === 'not-named') return undefined;
    const owners = new Set(entityOwners(entity));
    const mapped = this.ownersOfNamespace(
      resource.kind.cluster,
      resource.object.metadata.namespace ?? 'default',
    );
    return mapped.some(owner => owners.has(owner))
      ? 'namespace-owner'
      : undefined;
  }

  /**
   * True when the Resource names the entity but was created for another entity of that name (its
   * recorded uid differs, and no owner vouches): the link is stale, and only the platform team can
   * re-bind it.
   */
  isStale(entity: Entity, resource: ResolvedResource): boolean {
    if (this.mode === 'catalog') return false;
    const result = this.binding.check(entity, resource.object);
    return !result.bound && result.reason === 'stale';
  }

  /**
   * The sources of agreement that do not depend on the Resource's own content, so a link they
   * confirm can honestly be reported as "not found" when the Resource does not exist.
   */
  confirmWithoutResource(
    entity: Entity,
    where: { cluster: string; namespace: string },
  ): KratixLinkConfirmation | undefined {
    if (this.mode === 'catalog') return 'catalog';
    if (producedFromPlatform(entity, where.cluster)) return 'provider';
    const owners = new Set(entityOwners(entity));
    const mapped = this.ownersOfNamespace(where.cluster, where.namespace);
    if (mapped.some(owner => owners.has(owner))) return 'namespace-owner';
    return undefined;
  }

  /** The owners `kratix.namespaceOwners` gives a namespace on a cluster. */
  ownersOfNamespace(cluster: string, namespace: string): string[] {
    return this.namespaceOwnership
      .filter(
        m =>
          m.namespace === namespace &&
          (m.cluster === undefined || m.cluster === cluster),
      )
      .flatMap(m => m.owners);
  }
}

function producedFromPlatform(entity: Entity, cluster: string): boolean {
  const location = entity.metadata.annotations?.[ANNOTATION_LOCATION];
  return location === `${KRATIX_PROVIDER_LOCATION_TYPE}:${cluster}`;
}
