/*
 * The example teams' RBAC (seed/rbac) grants what seed/README.md's table says, so the cluster and
 * the example catalog (examples/org.yaml) agree: change the three together.
 */
import path from 'node:path';
import type { UserInfo } from '../auth/identity';
import { loadYamlFolder } from '../kratix/seed';
import { createSandboxStore } from '../store';
import type { Attributes } from './attributes';
import { type Authorizer, rbacAuthorizer } from './authorizer';
import { ensureBootstrapPolicy } from './bootstrap';

const SEED_RBAC = path.resolve(__dirname, '../../seed/rbac');

const member = (team?: string): UserInfo => ({
  username: team ? `someone-in-${team}` : 'someone',
  groups: [...(team ? [`backstage:${team}`] : []), 'system:authenticated'],
});

const RESOURCES: Record<string, [group: string, resource: string]> = {
  promises: ['platform.kratix.io', 'promises'],
  'elastic-clouds': ['workshop.kratix.io', 'elastic-clouds'],
  redis: ['marketplace.kratix.io', 'redis'],
  teamdatabases: ['sandbox.kratix.io', 'teamdatabases'],
  jenkins: ['marketplace.kratix.io', 'jenkins'],
  pods: ['', 'pods'],
};

const WRITE = ['create', 'update', 'patch'];
const READ = ['get', 'list', 'watch'];

let authorizer: Authorizer;

beforeAll(async () => {
  const store = createSandboxStore();
  ensureBootstrapPolicy(store);
  const loaded = await loadYamlFolder(store, SEED_RBAC);
  if (loaded.errors.length) throw new Error(loaded.errors.join('\n'));
  authorizer = rbacAuthorizer(store);
});

function may(
  user: UserInfo,
  verb: string,
  what: keyof typeof RESOURCES,
  namespace = 'default',
): boolean {
  const [apiGroup, resource] = RESOURCES[what];
  const attributes: Attributes = {
    user,
    verb,
    resourceRequest: true,
    path: '',
    apiGroup,
    apiVersion: 'v1alpha1',
    resource,
    subresource: '',
    namespace: what === 'promises' ? '' : namespace,
    name: '',
  };
  return authorizer.authorize(attributes).allowed;
}

describe('the example teams’ RBAC', () => {
  it('lets everyone signed in read the Promises, and nothing else', () => {
    for (const verb of READ) expect(may(member(), verb, 'promises')).toBe(true);
    expect(may(member(), 'create', 'promises')).toBe(false);
    for (const what of ['elastic-clouds', 'redis', 'pods'] as const)
      expect([what, may(member(), 'get', what)]).toEqual([what, false]);
  });

  it.each([
    ['team-search', ['elastic-clouds']],
    ['team-checkout', ['redis', 'teamdatabases']],
  ])(
    '%s requests and changes %j in default, deletes none, and nothing of the others',
    (team, own) => {
      const user = member(team);
      for (const what of Object.keys(RESOURCES) as Array<
        keyof typeof RESOURCES
      >) {
        if (what === 'promises') continue;
        const mine = own.includes(what);
        for (const verb of [...READ, ...WRITE])
          expect([what, verb, may(user, verb, what)]).toEqual([
            what,
            verb,
            mine,
          ]);
        expect([what, may(user, 'delete', what)]).toEqual([what, false]);
        expect([what, may(user, 'create', what, 'kube-system')]).toEqual([
          what,
          false,
        ]);
      }
    },
  );

  it('lets team-sre read checkout’s Resources and change none', () => {
    const sre = member('team-sre');
    for (const what of ['redis', 'teamdatabases'] as const) {
      for (const verb of READ) expect(may(sre, verb, what)).toBe(true);
      for (const verb of [...WRITE, 'delete'])
        expect(may(sre, verb, what)).toBe(false);
    }
    expect(may(sre, 'get', 'elastic-clouds')).toBe(false);
  });

  it('lets team-platform do everything, everywhere', () => {
    const platform = member('team-platform');
    for (const what of Object.keys(RESOURCES) as Array<keyof typeof RESOURCES>)
      for (const verb of [...READ, ...WRITE, 'delete', 'deletecollection'])
        expect(may(platform, verb, what, 'kube-system')).toBe(true);
  });

  it('lets Backstage’s own identity read everything, review access and impersonate users and groups, and write nothing', () => {
    const backstage: UserInfo = {
      username: 'kratix-backstage',
      groups: ['system:authenticated'],
    };
    expect(may(backstage, 'watch', 'redis', '')).toBe(true);
    expect(may(backstage, 'create', 'redis')).toBe(false);
    const check = (verb: string, apiGroup: string, resource: string) =>
      authorizer.authorize({
        user: backstage,
        verb,
        resourceRequest: true,
        path: '',
        apiGroup,
        apiVersion: 'v1',
        resource,
        subresource: '',
        namespace: '',
        name: 'anyone',
      }).allowed;
    expect(
      check('create', 'authorization.k8s.io', 'subjectaccessreviews'),
    ).toBe(true);
    expect(check('impersonate', '', 'users')).toBe(true);
    expect(check('impersonate', '', 'groups')).toBe(true);
    expect(check('impersonate', '', 'serviceaccounts')).toBe(false);
  });
});
