/*
 * A request as the delivery records it, for the tests of the ledger and of what follows requests:
 * a gitops create of a Redis on the sandbox cluster for checkout-service, asked by alice, in a
 * repository nothing listens on. Each test names only what it is about.
 */
import type { NewRequest } from '../requests';

/** Where the delivery writes a Redis request of that name (the sandbox cluster, `default`). */
export const requestFileOf = (name: string) =>
  `kratix-requests/sandbox/default/redis/${name}.yaml`;

export const newRequest = (
  id: string,
  name: string,
  over: Partial<NewRequest> = {},
): NewRequest => ({
  id,
  operation: 'create',
  mode: 'gitops',
  cluster: 'sandbox',
  namespace: 'default',
  promise: 'redis',
  name,
  entityRef: 'component:default/checkout-service',
  requestedBy: 'user:default/alice',
  repository: 'http://127.0.0.1:1/kratix-requests.git',
  branch: 'main',
  path: requestFileOf(name),
  commitSha: 'abc1234def5678abc1234def5678abc1234def56',
  ...over,
});
