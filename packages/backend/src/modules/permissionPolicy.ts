/*
 * The permission policy of this Backstage: a realistic one for a platform team using Kratix.
 *  - kratix.resource.read (on the Kratix Resource): the platform team (kratix.platformTeam) reads
 *    every Resource; anyone else reads the Resources their team (or they) own, decided with the
 *    Kratix rule IS_RESOURCE_OWNER (owners of the entity the platform links the Resource to).
 *    A group can also be a team's viewer: its annotation `example.com/reads-kratix-resources-of`
 *    names the groups whose Resources its members read (never change), e.g. an SRE team that
 *    watches another team's platform requests. Only the user's groups they may see count: read
 *    with the policy's own credentials, then filtered with this policy's catalog.entity.read
 *    decision for the user (the catalog's own rules), which is what reading them as the user
 *    returns, without a second permission round trip inside this decision. Groups read so are
 *    kept per group for `kratix.cache.entitySeconds` (default 10 s, 0 = read every time), the
 *    bound the Kratix read path keeps for every catalog entity it judges: so a change of a
 *    group's viewer annotation applies within it, and a first read by a new user of a known team
 *    costs no catalog round trip.
 *  - kratix.resource.logs.read (on the Kratix Resource): pipeline logs can hold secrets, so only the
 *    owners of the Resource's entity (IS_RESOURCE_OWNER with the user's own claims) and the platform
 *    team; a viewer group reads a team's Resources, never their logs.
 *  - kratix.resource.create / update / delete (on the target entity): the entity's owners, decided
 *    with the catalog's isEntityOwner rule; the platform team everywhere.
 *  - kratix.resource.create.unlinked (a Resource for no entity): the platform team only.
 *  - kratix.promise.read: every signed-in user.
 *  - catalog.entity.read: entities annotated `example.com/visibility: platform-team` are visible to
 *    the platform team only (so "an entity you cannot see" is a real case here); `kratix-resource`
 *    entities (the Kratix catalog module's Resource entities, and any written like them) to their
 *    owners and the platform team, except templates; others to everyone.
 *  - catalog.entity.delete, catalog.entity.refresh, catalog.location.create / delete: the platform
 *    team only. The catalog keeps an entity's name for whoever holds it: deleting an entity and
 *    registering (or refreshing) a location that defines the same name hands that name, and every
 *    link and owner lookup that trusts it, to someone else.
 *  - scaffolder.task.read / cancel: the task's creator and the platform team (the scaffolder's own
 *    rule IS_TASK_OWNER): a task's parameters and logs are the creator's.
 *  - everything else is allowed, as in a default Backstage.
 * Service principals never reach a policy: Backstage allows them, limited by the access
 * restrictions of their external access token; the Kratix backend lets them read, never write.
 */
import {
  coreServices,
  createBackendModule,
  type AuthService,
  type BackstageCredentials,
  type BackstageUserInfo,
  type UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  RELATION_OWNED_BY,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  catalogServiceRef,
  type CatalogService,
} from '@backstage/plugin-catalog-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
  permissionRules as catalogRules,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  type Permission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import { TtlCache } from '@kratix-backstage/plugin-kratix-node';
import {
  kratixPromiseReadPermission,
  kratixResourceCreatePermission,
  kratixResourceLogsReadPermission,
  kratixResourceDeletePermission,
  kratixResourceReadPermission,
  kratixResourceUpdatePermission,
  normalizeEntityRef,
} from '@kratix-backstage/plugin-kratix-common';
import {
  createKratixResourceConditionalDecision,
  kratixResourceConditions,
} from '@kratix-backstage/plugin-kratix-node';

/** Entities with this annotation (value `platform-team`) are hidden from everyone but the platform team. */
export const VISIBILITY_ANNOTATION = 'example.com/visibility';

/**
 * On a Group: the groups (comma-separated refs) whose Kratix Resources its members may read, and
 * nothing more. Only groups the user belongs to count, read from the catalog as that user.
 */
export const READS_RESOURCES_OF_ANNOTATION =
  'example.com/reads-kratix-resources-of';

/** `spec.type` of the Kratix catalog module's Resource entities. */
export const KRATIX_RESOURCE_ENTITY_TYPE = 'kratix-resource';

/** Catalog permissions that move an entity's name from one holder to another. */
const catalogNameChanges: Permission[] = [
  catalogEntityDeletePermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
];

/** The scaffolder's task permissions (plugin-scaffolder-common/alpha), decided on the task. */
const SCAFFOLDER_TASK = 'scaffolder-task';
const scaffolderTaskPermissions = [
  'scaffolder.task.read',
  'scaffolder.task.cancel',
];

const isDecidedHere = (permission: Permission) =>
  permission.name.startsWith('kratix.') ||
  isPermission(permission, catalogEntityReadPermission) ||
  catalogNameChanges.some(p => isPermission(permission, p)) ||
  scaffolderTaskPermissions.includes(permission.name);

/** What the policy reads of a group: all but its relations (see mayReadGroup). */
const GROUP_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec'];

/** The catalog's own rule implementations, to apply a catalog.entity.read decision to an entity. */
const authorizeOnEntity = createConditionAuthorizer<Entity, unknown>(
  Object.values(catalogRules),
);

const entityWrites = [
  kratixResourceCreatePermission,
  kratixResourceUpdatePermission,
  kratixResourceDeletePermission,
];

/** catalog.entity.read for a user who is not on the platform team, with their ownership claims. */
function catalogReadDecision(claims: string[]): PolicyDecision {
  return createCatalogConditionalDecision(catalogEntityReadPermission, {
    allOf: [
      {
        not: catalogConditions.hasAnnotation({
          annotation: VISIBILITY_ANNOTATION,
          value: 'platform-team',
        }),
      },
      // A Resource entity shows its Resource's name, owner and (when published) status. The
      // generated templates share the type and stay public: they request, they reveal nothing.
      {
        anyOf: [
          {
            not: catalogConditions.hasSpec({
              key: 'type',
              value: KRATIX_RESOURCE_ENTITY_TYPE,
            }),
          },
          catalogConditions.isEntityKind({ kinds: ['Template'] }),
          catalogConditions.isEntityOwner({ claims }),
        ],
      },
    ],
  });
}

export class KratixPermissionPolicy implements PermissionPolicy {
  private readonly platformTeam?: string;
  private readonly catalog?: CatalogService;
  private readonly auth?: AuthService;
  /** Groups read with the policy's own credentials, by entity ref. */
  private readonly groups: TtlCache<Entity | undefined>;
  /** User info by the credentials object of one permission query (its batch shares it). */
  private readonly infos = new WeakMap<
    BackstageCredentials,
    Promise<BackstageUserInfo>
  >();

  constructor(
    private readonly userInfo: UserInfoService,
    options: {
      platformTeam?: string;
      /** Reads the user's groups (viewer groups); without it, no group is a viewer. */
      catalog?: CatalogService;
      /** The policy's own credentials for that read; without them, it reads as the user. */
      auth?: AuthService;
      /** How long a group read with the policy's credentials is kept (default 0: not kept). */
      groupCacheMs?: number;
    } = {},
  ) {
    this.catalog = options.catalog;
    this.auth = options.auth;
    this.groups = new TtlCache(options.auth ? options.groupCacheMs ?? 0 : 0);
    this.platformTeam = options.platformTeam
      ? normalizeEntityRef(options.platformTeam, { defaultKind: 'group' })
      : undefined;
    if (options.platformTeam && !this.platformTeam) {
      throw new Error(
        `kratix.platformTeam: "${options.platformTeam}" is not an entity reference`,
      );
    }
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!isDecidedHere(permission)) return { result: AuthorizeResult.ALLOW };
    if (!user) return { result: AuthorizeResult.DENY };
    if (isPermission(permission, kratixPromiseReadPermission)) {
      return { result: AuthorizeResult.ALLOW };
    }

    const { ownershipEntityRefs: claims } = await this.userInfoOf(user);
    const onPlatformTeam =
      this.platformTeam !== undefined &&
      claims.some(claim => normalizeEntityRef(claim) === this.platformTeam);
    if (onPlatformTeam) return { result: AuthorizeResult.ALLOW };
    if (isPermission(permission, catalogEntityReadPermission)) {
      return catalogReadDecision(claims);
    }
    if (catalogNameChanges.some(p => isPermission(permission, p))) {
      return { result: AuthorizeResult.DENY };
    }
    if (
      isResourcePermission(permission, SCAFFOLDER_TASK) &&
      scaffolderTaskPermissions.includes(permission.name)
    ) {
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({
          createdBy: [user.info.userEntityRef],
        }),
      );
    }

    if (isPermission(permission, kratixResourceReadPermission)) {
      const viewed = await this.viewedGroups(claims, user);
      return createKratixResourceConditionalDecision(
        permission,
        kratixResourceConditions.isResourceOwner({
          claims: [...claims, ...viewed],
        }),
      );
    }
    if (isPermission(permission, kratixResourceLogsReadPermission)) {
      // The owners only: viewer groups (READS_RESOURCES_OF_ANNOTATION) do not read logs.
      return createKratixResourceConditionalDecision(
        permission,
        kratixResourceConditions.isResourceOwner({ claims }),
      );
    }
    const write = entityWrites.find(p => isPermission(permission, p));
    if (write && isPermission(permission, write)) {
      return createCatalogConditionalDecision(
        write,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    // kratix.resource.create.unlinked (platform team only) and Kratix permissions this policy does not know.
    return { result: AuthorizeResult.DENY };
  }

  /**
   * The user's ownership claims. With Backstage's default `auth.omitIdentityTokenOwnershipClaim`,
   * tokens carry none and each user-info lookup is a request to the auth backend: the permission
   * backend has made one for this query already (`user.info`), and the decisions of one batch share
   * one credentials object, so a batch asking two permissions costs no lookup of its own (it was
   * one per permission).
   */
  private userInfoOf(
    user: PolicyQueryUser,
  ): Promise<{ ownershipEntityRefs: string[] }> {
    // `info` is deprecated in the policy's interface; where it is gone, one lookup per batch.
    const given = (user as { info?: { ownershipEntityRefs?: string[] } }).info;
    if (given?.ownershipEntityRefs) {
      return Promise.resolve({
        ownershipEntityRefs: given.ownershipEntityRefs,
      });
    }
    let info = this.infos.get(user.credentials);
    if (!info) {
      info = this.userInfo.getUserInfo(user.credentials);
      this.infos.set(user.credentials, info);
      info.catch(() => this.infos.delete(user.credentials));
    }
    return info;
  }

  /**
   * The groups whose Resources the user's own groups may read (READS_RESOURCES_OF_ANNOTATION), from
   * the groups the user may see. Called for users off the platform team only.
   */
  private async viewedGroups(
    claims: string[],
    user: PolicyQueryUser,
  ): Promise<string[]> {
    const groups = claims.filter(ref => ref.startsWith('group:'));
    if (!this.catalog || groups.length === 0) return [];
    const items = await this.readGroups(groups, user);
    const mayRead = catalogReadDecision(claims);
    const visible = await Promise.all(
      items.map(group =>
        group ? this.mayReadGroup(mayRead, group, claims, user) : false,
      ),
    );
    return items.flatMap((group, i) =>
      group && visible[i]
        ? (group.metadata.annotations?.[READS_RESOURCES_OF_ANNOTATION] ?? '')
            .split(',')
            .map(ref => normalizeEntityRef(ref, { defaultKind: 'group' }))
            .filter((ref): ref is string => ref !== undefined)
        : [],
    );
  }

  /**
   * The user's catalog.entity.read decision on a group read without its relations (a team's
   * relations name every member: thousands in a large org, the bulk of the read). Relations only
   * matter to the catalog's ownership rule, so the decision is exact when it comes out the same
   * whether the user owns the group or not; otherwise the group is read whole, with them.
   */
  private async mayReadGroup(
    decision: PolicyDecision,
    group: Entity,
    claims: string[],
    user: PolicyQueryUser,
  ): Promise<boolean> {
    const owned = mayReadEntity(decision, {
      ...group,
      relations: claims.map(targetRef => ({
        type: RELATION_OWNED_BY,
        targetRef,
      })),
    });
    const notOwned = mayReadEntity(decision, { ...group, relations: [] });
    if (owned === notOwned) return owned;
    const [whole] = await this.readGroups(
      [stringifyEntityRef(group)],
      user,
      true,
    );
    return whole ? mayReadEntity(decision, whole) : false;
  }

  /**
   * The groups, in order (undefined where missing): one catalog round trip with the policy's own
   * credentials (a service read: no permission round trip nested in this decision) for those not
   * kept; without credentials of its own, read as the user every time.
   */
  private async readGroups(
    refs: string[],
    user: PolicyQueryUser,
    withRelations = false,
  ): Promise<Array<Entity | undefined>> {
    const catalog = this.catalog!;
    if (!this.auth || withRelations) {
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: refs },
        {
          credentials: this.auth
            ? await this.auth.getOwnServiceCredentials()
            : user.credentials,
        },
      );
      return items.map(item => item ?? undefined);
    }
    const auth = this.auth;
    // The cache calls each missing group's loader at once; they share one batched read.
    const missing: string[] = [];
    let batch: Promise<Map<string, Entity | undefined>> | undefined;
    const readMissing = () => {
      batch ??= (async () => {
        const { items } = await catalog.getEntitiesByRefs(
          { entityRefs: missing, fields: GROUP_FIELDS },
          { credentials: await auth.getOwnServiceCredentials() },
        );
        return new Map(missing.map((ref, i) => [ref, items[i] ?? undefined]));
      })();
      return batch;
    };
    return Promise.all(
      refs.map(ref =>
        this.groups.get(ref, () => {
          missing.push(ref);
          return Promise.resolve()
            .then(readMissing)
            .then(read => read.get(ref));
        }),
      ),
    );
  }
}

/** A catalog.entity.read decision applied to an entity, as the catalog applies it. */
function mayReadEntity(decision: PolicyDecision, entity: Entity): boolean {
  if (decision.result === AuthorizeResult.ALLOW) return true;
  if (decision.result !== AuthorizeResult.CONDITIONAL) return false;
  return authorizeOnEntity(decision, entity);
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'kratix-policy',
  register(env) {
    env.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({ policy, userInfo, config, catalog, auth }) {
        policy.setPolicy(
          new KratixPermissionPolicy(userInfo, {
            platformTeam: config.getOptionalString('kratix.platformTeam'),
            catalog,
            auth,
            // The Kratix read path's bound for the catalog entities it judges.
            groupCacheMs:
              (config.getOptionalNumber('kratix.cache.entitySeconds') ?? 10) *
              1000,
          }),
        );
      },
    });
  },
});
