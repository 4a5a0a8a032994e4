/*
 * The caller's policy decisions for reading: `catalog.entity.read` and `kratix.resource.read`, asked
 * of the permission framework in ONE batched call and kept per caller for at most
 * `kratix.cache.decisionSeconds` (default 10 s, 0 = ask every time). Conditional decisions are
 * kept as conditions and evaluated per entity and per Resource, so a cached decision never answers
 * for an object it was not evaluated on. The bound is how long a policy change (or a change of the
 * caller's group membership picked up by a new token) can take to reach an open page.
 */
import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import type { PolicyDecision } from '@backstage/plugin-permission-common';
import { kratixResourceReadPermission } from '@kratix-backstage/plugin-kratix-common';
import { TtlCache } from '@kratix-backstage/plugin-kratix-node';

export interface ReadDecisions {
  catalogRead: PolicyDecision;
  kratixRead: PolicyDecision;
}

export class CallerDecisions {
  private readonly cache: TtlCache<ReadDecisions>;

  constructor(private readonly permissions: PermissionsService, ttlMs: number) {
    this.cache = new TtlCache(ttlMs);
  }

  get ttlMs(): number {
    return this.cache.ttlMs;
  }

  /** The caller's read decisions; undefined key (unknown principal) is never cached. */
  get(credentials: BackstageCredentials): Promise<ReadDecisions> {
    const load = async () => {
      const [catalogRead, kratixRead] =
        await this.permissions.authorizeConditional(
          [
            { permission: catalogEntityReadPermission },
            { permission: kratixResourceReadPermission },
          ],
          { credentials },
        );
      return { catalogRead, kratixRead };
    };
    const key = decisionKey(credentials);
    return key ? this.cache.get(key, load) : load();
  }
}

/**
 * One key per user or per service subject and access restrictions: whose decisions a read is made
 * with (also what the streams' shared reads are keyed by). Undefined for any other principal.
 */
export function decisionKey(
  credentials: BackstageCredentials,
): string | undefined {
  const p = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
    accessRestrictions?: unknown;
  };
  if (p.type === 'user' && p.userEntityRef) return `user:${p.userEntityRef}`;
  if (p.type === 'service' && p.subject) {
    return `service:${p.subject}:${JSON.stringify(
      p.accessRestrictions ?? null,
    )}`;
  }
  return undefined;
}
