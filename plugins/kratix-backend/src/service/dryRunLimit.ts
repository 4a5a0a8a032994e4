/*
 * Dry-run creates through this plugin (POST /resources and the MCP create-resource tool), limited
 * per user. A dry run answers 409 when the name is taken, whoever's Resource holds it: that is
 * inherent to creating a name (the real create would fail the same way), so it cannot be hidden,
 * only made slow to enumerate. Real creates are not limited here: each needs the create
 * permission on an entity and is audited.
 */
import type {
  CreateContext,
  CreateResult,
  KratixResourceCreationService,
} from '@kratix-backstage/plugin-kratix-node';
import type { UserRateLimiter } from './rateLimit';
import { callerKey } from './callerKey';

export function limitDryRuns(
  creation: KratixResourceCreationService,
  limiter: UserRateLimiter,
): KratixResourceCreationService {
  return {
    async create(
      input: unknown,
      context: CreateContext,
    ): Promise<CreateResult> {
      const dryRun =
        typeof input === 'object' &&
        input !== null &&
        (input as { dryRun?: unknown }).dryRun === true;
      // Counted before anything is looked up, so a refused dry run asks the cluster nothing.
      if (dryRun) limiter.take(callerKey(context.credentials));
      return creation.create(input, context);
    },
    prepare: (input, context) => creation.prepare(input, context),
  };
}
