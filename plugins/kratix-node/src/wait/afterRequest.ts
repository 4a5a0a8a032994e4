/*
 * What is left of a wait once the platform has applied a request delivered through Git: the
 * scaffolder's kratix:resource:create / kratix:resource:wait and the MCP action wait-for-resource
 * follow the request and then the Resource within ONE timeout, holding one slot of the user's.
 */
import type { KratixClusterService } from '../KratixClusterService';
import type { KratixWaitTicket } from './KratixWaits';
import { KratixWaitError, waitForResource } from './waitForResource';

/**
 * A ticket for the rest of `ticket`'s timeout, counted from `startedAt` (when the wait for the
 * request began): the same slot (releasing either releases it), and a timeout that says how long
 * the platform took to apply request `requestId`. A Resource that arrives already done passes at
 * once (waitForResource judges the snapshot it is given before any timer).
 *
 * @public
 */
export function ticketAfterRequest(options: {
  clusters: KratixClusterService;
  ticket: KratixWaitTicket;
  /** `Date.now()` when the wait for the request began. */
  startedAt: number;
  requestId: string;
}): KratixWaitTicket {
  const { clusters, ticket, startedAt, requestId } = options;
  const took = (Date.now() - startedAt) / 1000;
  const remainingMs = Math.max(
    startedAt + ticket.timeoutSeconds * 1000 - Date.now(),
    1,
  );
  return {
    timeoutSeconds: remainingMs / 1000,
    release: () => ticket.release(),
    wait: async waitOptions => {
      try {
        return await waitForResource({
          clusters,
          timeoutMs: remainingMs,
          ...waitOptions,
        });
      } catch (error) {
        if (error instanceof KratixWaitError && error.reason === 'timeout') {
          throw new KratixWaitError(
            'timeout',
            `${error.message} (the ${
              ticket.timeoutSeconds
            }s timeout counts the ${took.toFixed(
              1,
            )}s the platform took to apply request ${requestId})`,
            error.condition,
          );
        }
        throw error;
      } finally {
        ticket.release();
      }
    },
  };
}
