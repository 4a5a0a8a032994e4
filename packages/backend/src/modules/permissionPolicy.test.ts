import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  kratixResourceCreatePermission,
  kratixResourceReadPermission,
} from '@kratix-backstage/plugin-kratix-common';
import { KratixPermissionPolicy } from './permissionPolicy';

function policyFor(ownershipEntityRefs: string[]) {
  const userInfo = mockServices.userInfo({
    userEntityRef: 'user:default/someone',
    ownershipEntityRefs,
  });
  const user = {
    credentials: mockCredentials.user('user:default/someone'),
    info: { userEntityRef: 'user:default/someone', ownershipEntityRefs },
  };
  return { policy: new KratixPermissionPolicy(userInfo), user };
}

describe('KratixPermissionPolicy', () => {
  it('reads conditionally: only the Resources of entities the user or their teams own', async () => {
    const { policy, user } = policyFor([
      'user:default/someone',
      'group:default/team-search',
    ]);
    const decision = await policy.handle(
      { permission: kratixResourceReadPermission },
      user,
    );
    expect(decision).toEqual({
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
  });

  it('allows team members to create and denies users on no team', async () => {
    const member = policyFor(['user:default/someone', 'group:default/team-a']);
    expect(
      await member.policy.handle(
        { permission: kratixResourceCreatePermission },
        member.user,
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    const loner = policyFor(['user:default/someone']);
    expect(
      await loner.policy.handle(
        { permission: kratixResourceCreatePermission },
        loner.user,
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('denies Kratix permissions to callers without a user and allows other permissions', async () => {
    const { policy } = policyFor([]);
    expect(
      await policy.handle({ permission: kratixResourceCreatePermission }),
    ).toEqual({
      result: AuthorizeResult.DENY,
    });
    const other = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
    });
    expect(await policy.handle({ permission: other })).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});
