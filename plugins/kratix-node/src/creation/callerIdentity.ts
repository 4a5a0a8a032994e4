/*
 * Who a cluster call is made for (issue 26): the one place a KratixCaller is built, for the Kratix
 * routes, the MCP actions, the scaffolder actions and the notifier alike.
 *
 *  - Only users: a service principal never impersonates (undefined), and neither does anyone when
 *    no cluster acts as each user (auth.type impersonate or oidc): nothing is looked up then.
 *  - Ownership refs from Backstage's user info service (the refs the user's token carries, as the
 *    permission policy sees them); the email from the user entity, read from the catalog with the
 *    caller's own credentials, and only when a cluster names users by email (auth.user: email).
 *  - ID tokens are the request's (the frontend attaches them); they are never cached or kept.
 *
 * A user's ownership refs and email are reused for at most `cacheMs` (kratix.cache.decisionSeconds,
 * default 10 s, as for the caller's policy decisions): the bound on how long a change of the user's
 * groups or email takes to reach what the clusters see and review. ID tokens are never cached.
 */
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  type AuthService,
  type BackstageCredentials,
  type UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  catalogServiceRef,
  type CatalogService,
} from '@backstage/plugin-catalog-node';
import type { Config } from '@backstage/config';
import { readClusterConfigs } from '../clusterConfig';
import type { KratixClusterService } from '../KratixClusterService';
import { kratixClusterServiceRef } from '../serviceRef';
import { TtlCache } from '../TtlCache';
import type { KratixCaller } from '../userAuth/clusterUserAuth';

/**
 * Builds the {@link KratixCaller} a cluster call is made for.
 *
 * @public
 */
export interface KratixCallerService {
  /**
   * The caller for a request's credentials, with the ID tokens the request carried (by Backstage
   * auth provider id). Undefined for service principals (they never impersonate) and when no
   * cluster acts as each user.
   */
  forCredentials(
    credentials: BackstageCredentials,
    options?: { idTokens?: Record<string, string> },
  ): Promise<KratixCaller | undefined>;
  /**
   * The caller for a user named by ref, when there is no request (notifications): ownership refs
   * from the user entity's memberOf relations, read with the plugin's own credentials. A user the
   * catalog does not hold is asked about with their own ref only. Undefined when no cluster acts
   * as each user. Never carries ID tokens.
   */
  forUserRef(userEntityRef: string): Promise<KratixCaller | undefined>;
}

/** What is reused per user; never the ID tokens. */
interface Identity {
  ownershipEntityRefs: string[];
  email?: string;
}

/**
 * The default {@link KratixCallerService}.
 *
 * @public
 */
export class DefaultKratixCallerService implements KratixCallerService {
  private readonly identities: TtlCache<Identity>;
  private readonly byRef: TtlCache<Identity>;
  private readonly actsAsUser: boolean;
  private readonly needsEmail: boolean;
  /** Configured oidcTokenProvider names, to match request headers (lower-cased) against. */
  private readonly providers: string[];

  constructor(
    private readonly deps: {
      userInfo: UserInfoService;
      catalog: CatalogService;
      auth: AuthService;
      clusters: KratixClusterService;
      /** kratix.clusters, for each cluster's user mapping; clusters supplied otherwise fetch the email. */
      config: Config;
      /** How long a user's ownership refs and email are reused (kratix.cache.decisionSeconds). */
      cacheMs?: number;
    },
  ) {
    this.identities = new TtlCache(deps.cacheMs ?? 10_000);
    this.byRef = new TtlCache(deps.cacheMs ?? 10_000);
    const configured = new Map(
      readClusterConfigs(deps.config).map(c => [c.name, c.auth]),
    );
    const userClusters = deps.clusters
      .clusters()
      .filter(c => deps.clusters.actsAsUser(c.name));
    this.actsAsUser = userClusters.length > 0;
    // A supplied cluster's mapping is not known here: fetch the email in case it needs it.
    this.needsEmail = userClusters.some(c => {
      const auth = configured.get(c.name);
      return auth ? auth.user === 'email' : true;
    });
    this.providers = userClusters.flatMap(c => {
      const provider = configured.get(c.name)?.oidcTokenProvider;
      return typeof provider === 'string' ? [provider] : [];
    });
  }

  async forCredentials(
    credentials: BackstageCredentials,
    options: { idTokens?: Record<string, string> } = {},
  ): Promise<KratixCaller | undefined> {
    const principal = credentials.principal as {
      type?: string;
      userEntityRef?: string;
    };
    if (!this.actsAsUser) return undefined;
    if (principal.type !== 'user' || !principal.userEntityRef) {
      return undefined;
    }
    const userEntityRef = principal.userEntityRef;
    const identity = await this.identities.get(userEntityRef, async () => {
      const [info, email] = await Promise.all([
        this.deps.userInfo.getUserInfo(credentials),
        this.needsEmail
          ? this.deps.catalog
              .getEntityByRef(userEntityRef, { credentials })
              .then(emailOf)
          : undefined,
      ]);
      return { ownershipEntityRefs: info.ownershipEntityRefs, email };
    });
    const idTokens = this.idTokens(options.idTokens);
    return {
      userEntityRef,
      ownershipEntityRefs: identity.ownershipEntityRefs,
      ...(identity.email ? { email: identity.email } : {}),
      ...(idTokens ? { idTokens } : {}),
    };
  }

  async forUserRef(userEntityRef: string): Promise<KratixCaller | undefined> {
    if (!this.actsAsUser) return undefined;
    const ref = stringifyEntityRef(
      parseEntityRef(userEntityRef, { defaultKind: 'user' }),
    );
    const identity = await this.byRef.get(ref, async () => {
      const entity = await this.deps.catalog.getEntityByRef(ref, {
        credentials: await this.deps.auth.getOwnServiceCredentials(),
      });
      // Backstage's ownership claims: the user and the groups it is a direct member of.
      const groups = (entity?.relations ?? [])
        .filter(r => r.type === RELATION_MEMBER_OF)
        .map(r => r.targetRef);
      return {
        ownershipEntityRefs: [ref, ...groups],
        email: emailOf(entity),
      };
    });
    return {
      userEntityRef: ref,
      ownershipEntityRefs: identity.ownershipEntityRefs,
      ...(identity.email ? { email: identity.email } : {}),
    };
  }

  /**
   * The tokens keyed by the provider names the clusters are configured with (HTTP header names
   * arrive lower-cased); empty and absent tokens are left out.
   */
  private idTokens(
    tokens: Record<string, string> | undefined,
  ): Record<string, string> | undefined {
    if (!tokens) return undefined;
    const result: Record<string, string> = {};
    for (const [provider, token] of Object.entries(tokens)) {
      if (!token) continue;
      const configured = this.providers.find(
        p =>
          p.toLocaleLowerCase('en-US') === provider.toLocaleLowerCase('en-US'),
      );
      result[configured ?? provider] = token;
    }
    return Object.keys(result).length > 0 ? result : undefined;
  }
}

function emailOf(entity: Entity | undefined): string | undefined {
  const email = (entity?.spec?.profile as { email?: unknown } | undefined)
    ?.email;
  return typeof email === 'string' && email !== '' ? email : undefined;
}

/**
 * Builds the caller a cluster call is made for, per plugin (each with its own user info, catalog
 * and auth clients).
 *
 * @public
 */
export const kratixCallerServiceRef = createServiceRef<KratixCallerService>({
  id: 'kratix.caller',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        clusters: kratixClusterServiceRef,
      },
      factory: deps =>
        new DefaultKratixCallerService({
          ...deps,
          cacheMs:
            (deps.config.getOptionalNumber('kratix.cache.decisionSeconds') ??
              10) * 1000,
        }),
    }),
});
