/*
 * `kratix.sandbox.rbac` and `kratix.sandbox.users` in app-config: the embedded sandbox enforces RBAC
 * with the example teams' roles, and a configured user's token acts as that user.
 */
import {
  startSandboxBackend as startWith,
  statusOf,
} from '../__testUtils__/sandboxBackend';

const ELASTIC =
  '/apis/workshop.kratix.io/v1alpha1/namespaces/default/elastic-clouds';
const REDIS = '/apis/marketplace.kratix.io/v1alpha1/namespaces/default/redis';

describe('kratix.sandbox.rbac and kratix.sandbox.users', () => {
  jest.setTimeout(60_000);

  it('enforces the example teams’ RBAC for a configured user', async () => {
    const { backend, sandbox } = await startWith({
      rbac: true,
      users: [
        {
          token: 'search-token',
          username: 'ada',
          groups: ['backstage:team-search'],
        },
      ],
    });
    try {
      expect(await statusOf(sandbox, ELASTIC, 'search-token')).toBe(200);
      expect(await statusOf(sandbox, REDIS, 'search-token')).toBe(403);
      expect(await statusOf(sandbox, REDIS, sandbox.token)).toBe(200);
      expect(sandbox.requestLog.entries(r => r.user === 'ada')).toHaveLength(2);
    } finally {
      await backend.stop();
    }
  });

  it('leaves every authenticated caller unlimited without rbac', async () => {
    const { backend, sandbox } = await startWith({
      seed: false,
      users: [{ token: 'search-token', username: 'ada' }],
    });
    try {
      expect(
        await statusOf(sandbox, '/api/v1/namespaces', 'search-token'),
      ).toBe(200);
      expect(await statusOf(sandbox, '/api/v1/namespaces', 'unknown')).toBe(
        401,
      );
    } finally {
      await backend.stop();
    }
  });
});
