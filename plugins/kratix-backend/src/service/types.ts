/*
 * Shapes the read services share (EntityResources, the one-Resource reads, the timeline, manage
 * actions), kept apart so that none of them has to import another for a type.
 */

/** Where a Resource lives: its cluster, namespace, Promise and name. */
export interface ResourceAddress {
  cluster: string;
  namespace: string;
  promise: string;
  name: string;
}
