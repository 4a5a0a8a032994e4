/* What the Promise and Resource controllers share. */
import type { Store, TypeKey } from '../../store/types';
import type { KeyedQueue } from './workQueue';
import type { WorkflowDeps } from '../workflows/workflowRun';

export interface ControllerContext extends WorkflowDeps {
  store: Store;
  queue: KeyedQueue;
  /** Resource types generated from Promises: `group/plural` → Promise name. */
  resourceTypes: Map<string, string>;
}

export const typeId = (key: TypeKey) => `${key.group}/${key.plural}`;
