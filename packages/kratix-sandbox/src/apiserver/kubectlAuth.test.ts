/*
 * Real kubectl (1.27 and 1.33) against a sandbox enforcing the seeded RBAC (seed/rbac): `auth can-i`
 * as oneself, with --as/--as-group and --list, `auth whoami`, and a Forbidden create. `dana` is a
 * static-token user in backstage:team-search; the admin kubeconfig impersonates the others.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeEachKubectl } from '../__testUtils__/kubectl';
import { DEFAULT_SEED_DIR, type Sandbox, startSandbox } from '../sandbox';
import { writeKubeconfig } from './kubeconfig';

const run = promisify(execFile);
const DANA_TOKEN = 'dana-static-token';

const yaml = (group: string, kind: string, name: string, spec: string) =>
  `apiVersion: ${group}/v1alpha1
kind: ${kind}
metadata:
  name: ${name}
  namespace: default
spec:
${spec}
`;

describeEachKubectl('kubectl auth against seeded RBAC', binary => {
  let dir: string;
  let sandbox: Sandbox;

  /** kubectl as `who` (the admin or dana); rejects on a non-zero exit with stdout and stderr. */
  const kubectl = async (who: 'admin' | 'dana', ...args: string[]) => {
    const { stdout } = await run(
      binary,
      [
        '--kubeconfig',
        join(dir, who),
        '--cache-dir',
        join(dir, `cache-${who}`),
        ...args,
      ],
      { timeout: 30000 },
    );
    return stdout;
  };
  /** The exit code and output of a command expected to fail. */
  const failing = async (who: 'admin' | 'dana', ...args: string[]) => {
    try {
      const stdout = await kubectl(who, ...args);
      return { code: 0, stdout, stderr: '' };
    } catch (error: any) {
      return {
        code: error.code as number,
        stdout: String(error.stdout),
        stderr: String(error.stderr),
      };
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-kubectl-auth-'));
    sandbox = await startSandbox({
      seed: false,
      rbac: true,
      loadDirs: [
        join(DEFAULT_SEED_DIR, 'promises'),
        join(DEFAULT_SEED_DIR, 'rbac'),
      ],
      users: [
        {
          token: DANA_TOKEN,
          username: 'dana',
          groups: ['backstage:team-search'],
        },
      ],
      stepDelayMs: 20,
      kubeconfigPath: join(dir, 'admin'),
    });
    await sandbox.ready;
    // The Promises' CRDs are served once the controllers are done installing them.
    await sandbox.emulator.idle();
    await writeKubeconfig(join(dir, 'dana'), {
      url: sandbox.url,
      token: DANA_TOKEN,
      certificate: sandbox.certificate,
    });
  });

  afterAll(async () => {
    await sandbox?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers can-i for oneself, yes with exit 0 and no with exit 1', async () => {
    expect(
      await kubectl('dana', 'auth', 'can-i', 'create', 'elastic-clouds'),
    ).toBe('yes\n');
    expect(await kubectl('dana', 'auth', 'can-i', 'list', 'promises')).toBe(
      'yes\n',
    );
    expect(await failing('dana', 'auth', 'can-i', 'create', 'redis')).toEqual({
      code: 1,
      stdout: 'no\n',
      stderr: '',
    });
    // Deleting is not granted to the teams, and the role is in default only.
    expect(
      (await failing('dana', 'auth', 'can-i', 'delete', 'elastic-clouds')).code,
    ).toBe(1);
    expect(
      (
        await failing(
          'dana',
          'auth',
          'can-i',
          'create',
          'elastic-clouds',
          '-n',
          'kube-system',
        )
      ).code,
    ).toBe(1);
    expect(await kubectl('admin', 'auth', 'can-i', '*', '*')).toBe('yes\n');
  });

  it('answers can-i for others with --as and --as-group', async () => {
    const asCheckout = [
      '--as',
      'alice',
      '--as-group',
      'backstage:team-checkout',
    ];
    expect(
      await kubectl('admin', 'auth', 'can-i', 'create', 'redis', ...asCheckout),
    ).toBe('yes\n');
    expect(
      await kubectl(
        'admin',
        'auth',
        'can-i',
        'patch',
        'teamdatabases',
        ...asCheckout,
      ),
    ).toBe('yes\n');
    expect(
      (
        await failing(
          'admin',
          'auth',
          'can-i',
          'create',
          'elastic-clouds',
          ...asCheckout,
        )
      ).stdout,
    ).toBe('no\n');
    // A user without the team's group is just authenticated: Promises only.
    expect(
      (
        await failing(
          'admin',
          'auth',
          'can-i',
          'create',
          'redis',
          '--as',
          'alice',
        )
      ).code,
    ).toBe(1);
    expect(
      await kubectl(
        'admin',
        'auth',
        'can-i',
        'get',
        'promises',
        '--as',
        'alice',
      ),
    ).toBe('yes\n');
    expect(
      await kubectl(
        'admin',
        'auth',
        'can-i',
        'delete',
        'redis',
        '--all-namespaces',
        '--as',
        'pat',
        '--as-group',
        'backstage:team-platform',
      ),
    ).toBe('yes\n');
  });

  it('lists what one may do with --list', async () => {
    const own = await kubectl('dana', 'auth', 'can-i', '--list');
    expect(own).toMatch(
      /^elastic-clouds\.workshop\.kratix\.io\s+\[\]\s+\[\]\s+\[get list watch create update patch\]$/m,
    );
    expect(own).toMatch(
      /^promises\.platform\.kratix\.io\s+\[\]\s+\[\]\s+\[get list watch\]$/m,
    );
    expect(own).not.toMatch(/^redis\./m);
    const checkout = await kubectl(
      'admin',
      'auth',
      'can-i',
      '--list',
      '--as',
      'alice',
      '--as-group',
      'backstage:team-checkout',
    );
    expect(checkout).toMatch(
      /^redis\.marketplace\.kratix\.io\s+\[\]\s+\[\]\s+\[get list watch create update patch\]$/m,
    );
    expect(checkout).not.toMatch(/^elastic-clouds\./m);
    const platform = await kubectl(
      'admin',
      'auth',
      'can-i',
      '--list',
      '--as',
      'pat',
      '--as-group',
      'backstage:team-platform',
    );
    expect(platform).toMatch(/^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
  });

  it('says who one is (auth whoami)', async () => {
    const dana = await kubectl('dana', 'auth', 'whoami');
    expect(dana).toMatch(/^Username\s+dana$/m);
    expect(dana).toMatch(
      /^Groups\s+\[backstage:team-search system:authenticated\]$/m,
    );
    const impersonated = await kubectl(
      'admin',
      'auth',
      'whoami',
      '--as',
      'alice',
      '--as-group',
      'backstage:team-checkout',
    );
    expect(impersonated).toMatch(/^Username\s+alice$/m);
  });

  it('refuses a create RBAC does not allow, naming the user and verb, and records who made the allowed one', async () => {
    const redisFile = join(dir, 'redis.yaml');
    await writeFile(
      redisFile,
      yaml('marketplace.kratix.io', 'redis', 'danas-cache', '  size: small'),
    );
    const refused = await failing('dana', 'create', '-f', redisFile);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `Error from server (Forbidden): error when creating "${redisFile}": redis.marketplace.kratix.io is forbidden: User "dana" cannot create resource "redis" in API group "marketplace.kratix.io" in the namespace "default"`,
    );
    expect(
      sandbox.store.get(
        { group: 'marketplace.kratix.io', plural: 'redis' },
        'default',
        'danas-cache',
      ),
    ).toBeUndefined();

    const elasticFile = join(dir, 'elastic.yaml');
    await writeFile(
      elasticFile,
      yaml(
        'workshop.kratix.io',
        'elastic-cloud',
        'danas-search',
        '  enableDataCollection: true',
      ),
    );
    expect(await kubectl('dana', 'create', '-f', elasticFile)).toContain(
      'elastic-cloud.workshop.kratix.io/danas-search created',
    );
    expect(
      sandbox.requestLog
        .entries(
          r =>
            r.verb === 'create' &&
            r.name === undefined &&
            r.resource === 'elastic-clouds',
        )
        .at(-1),
    ).toMatchObject({
      user: 'dana',
      groups: ['backstage:team-search', 'system:authenticated'],
      namespace: 'default',
      allowed: true,
    });

    // The same through impersonation: recorded as the impersonated user, by the admin.
    const again = await failing(
      'admin',
      'create',
      '-f',
      redisFile,
      '--as',
      'erin',
      '--as-group',
      'backstage:team-search',
    );
    expect(again.stderr).toContain(
      'User "erin" cannot create resource "redis" in API group "marketplace.kratix.io" in the namespace "default"',
    );
    expect(
      await kubectl(
        'admin',
        'create',
        '-f',
        redisFile,
        '--as',
        'erin',
        '--as-group',
        'backstage:team-checkout',
      ),
    ).toContain('redis.marketplace.kratix.io/danas-cache created');
    expect(
      sandbox.requestLog
        .entries(
          r => r.verb === 'create' && r.resource === 'redis' && r.allowed,
        )
        .at(-1),
    ).toMatchObject({
      user: 'erin',
      groups: ['backstage:team-checkout', 'system:authenticated'],
      impersonator: { user: 'sandbox-admin' },
    });
  });
});
