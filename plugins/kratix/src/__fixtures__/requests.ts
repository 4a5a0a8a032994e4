/*
 * Requests delivered through Git, as the backend's ledger describes them (kratix-common's
 * KratixRequestView), with the messages the ledger writes for each state.
 */
import type { KratixRequestView } from '@kratix-backstage/plugin-kratix-common';

const SHA = 'abc1234def5678901234567890abcdef12345678';

/** A gitops create request for `orders-cache`, committed to main and waiting for the sync. */
export function gitopsRequest(
  overrides: Partial<KratixRequestView> = {},
): KratixRequestView {
  return {
    id: '6f1c2d3e-0000-4000-8000-000000000001',
    operation: 'create',
    state: 'pending',
    mode: 'gitops',
    cluster: 'platform',
    promise: 'redis',
    namespace: 'default',
    name: 'orders-cache',
    entityRef: 'component:default/shop',
    requestedBy: 'user:default/guest',
    repository: 'https://git.example.com/acme/platform-requests.git',
    branch: 'main',
    path: 'kratix-requests/platform/default/redis/orders-cache.yaml',
    commitSha: SHA,
    commitUrl: `https://git.example.com/acme/platform-requests/commit/${SHA}`,
    message: 'Committed abc1234 to main, waiting for the platform to sync',
    createdAt: '2026-03-16T11:55:00Z',
    updatedAt: '2026-03-16T11:55:00Z',
    ...overrides,
  };
}

/** A pull-request create request: pull request #12 against main, open. */
export function pullRequest(
  overrides: Partial<KratixRequestView> = {},
): KratixRequestView {
  return gitopsRequest({
    id: '6f1c2d3e-0000-4000-8000-000000000012',
    mode: 'pull-request',
    name: 'reviewed-cache',
    branch: 'kratix/6f1c2d3e-0000-4000-8000-000000000012',
    path: 'kratix-requests/platform/default/redis/reviewed-cache.yaml',
    pullRequestUrl: 'https://github.com/acme/platform-requests/pull/12',
    pullRequestNumber: 12,
    requestedBy: 'user:default/alice',
    message: 'Pull request #12 open, waiting for review',
    ...overrides,
  });
}
