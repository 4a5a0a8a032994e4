import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  kratixPromiseReadPermission,
  kratixResourceCreatePermission,
  kratixResourceCreateUnlinkedPermission,
  kratixResourceDeletePermission,
  kratixResourceReadPermission,
  kratixResourceUpdatePermission,
} from '@kratix-backstage/plugin-kratix-common';
import { KratixPermissionPolicy } from './permissionPolicy';

const PLATFORM = 'group:default/team-platform';

function policyFor(ownershipEntityRefs: string[]) {
  const userInfo = mockServices.userInfo({
    userEntityRef: 'user:default/someone',
    ownershipEntityRefs,
  });
  const user = {
    credentials: mockCredentials.user('user:default/someone'),
    info: { userEntityRef: 'user:default/someone', ownershipEntityRefs },
  };
  return {
    policy: new KratixPermissionPolicy(userInfo, { platformTeam: PLATFORM }),
    user,
  };
}

const member = () =>
  policyFor(['user:default/someone', 'group:default/team-search']);

describe('KratixPermissionPolicy', () => {
  it('reads Resources conditionally on the Kratix rule IS_RESOURCE_OWNER with the user’s claims', async () => {
    const { policy, user } = member();
    expect(
      await policy.handle({ permission: kratixResourceReadPermission }, user),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'kratix',
      resourceType: 'kratix-resource',
      conditions: {
        rule: 'IS_RESOURCE_OWNER',
        resourceType: 'kratix-resource',
        params: {
          claims: ['user:default/someone', 'group:default/team-search'],
        },
      },
    });
  });

  it('decides every write on the target entity with the catalog rule IS_ENTITY_OWNER', async () => {
    const { policy, user } = member();
    for (const permission of [
      kratixResourceCreatePermission,
      kratixResourceUpdatePermission,
      kratixResourceDeletePermission,
    ]) {
      expect(await policy.handle({ permission }, user)).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: ['user:default/someone', 'group:default/team-search'],
          },
        },
      });
    }
  });

  it('keeps creating Resources for no entity, and every Resource, to the platform team', async () => {
    const { policy, user } = member();
    expect(
      await policy.handle(
        { permission: kratixResourceCreateUnlinkedPermission },
        user,
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    const platform = policyFor(['user:default/someone', PLATFORM]);
    for (const permission of [
      kratixResourceCreateUnlinkedPermission,
      kratixResourceReadPermission,
      kratixResourceCreatePermission,
      catalogEntityReadPermission,
    ]) {
      expect(
        await platform.policy.handle({ permission }, platform.user),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('hides platform-only entities from everyone else, and lists Promises for every user', async () => {
    const { policy, user } = member();
    expect(
      await policy.handle({ permission: catalogEntityReadPermission }, user),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        not: {
          rule: 'HAS_ANNOTATION',
          resourceType: 'catalog-entity',
          params: {
            annotation: 'example.com/visibility',
            value: 'platform-team',
          },
        },
      },
    });
    expect(
      await policy.handle({ permission: kratixPromiseReadPermission }, user),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('denies Kratix permissions to callers without a user and allows unrelated permissions', async () => {
    const { policy } = member();
    expect(
      await policy.handle({ permission: kratixResourceCreatePermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
    const other = createPermission({
      name: 'scaffolder.task.read',
      attributes: { action: 'read' },
    });
    expect(await policy.handle({ permission: other })).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});
