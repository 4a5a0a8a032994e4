import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  kratixPromiseReadPermission,
  kratixResourceCreatePermission,
  kratixResourceCreateUnlinkedPermission,
  kratixResourceDeletePermission,
  kratixResourceLogsReadPermission,
  kratixResourceReadPermission,
  kratixResourceUpdatePermission,
} from '@kratix-backstage/plugin-kratix-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  KratixPermissionPolicy,
  READS_RESOURCES_OF_ANNOTATION,
} from './permissionPolicy';

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
  describe('a viewer group (example.com/reads-kratix-resources-of)', () => {
    const sre: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: 'team-sre',
        namespace: 'default',
        annotations: {
          [READS_RESOURCES_OF_ANNOTATION]:
            'team-checkout, group:default/team-search',
        },
      },
      spec: { type: 'team', children: [] },
    };
    const claims = ['user:default/carol', 'group:default/team-sre'];
    const viewer = (group: Entity = sre) => {
      const catalog = catalogServiceMock({ entities: [group] });
      return {
        policy: new KratixPermissionPolicy(
          mockServices.userInfo({
            userEntityRef: 'user:default/carol',
            ownershipEntityRefs: claims,
          }),
          // The groups are read with the policy's own credentials (the mock catalog shows every
          // entity to them): what the user may not see must be left out by the policy itself.
          { platformTeam: PLATFORM, catalog, auth: mockServices.auth() },
        ),
        user: {
          credentials: mockCredentials.user('user:default/carol'),
          info: {
            userEntityRef: 'user:default/carol',
            ownershipEntityRefs: claims,
          },
        },
      };
    };

    it("reads the viewed teams' Resources as well as its own", async () => {
      const { policy, user } = viewer();
      const decision = await policy.handle(
        { permission: kratixResourceReadPermission },
        user,
      );
      expect(decision).toMatchObject({
        result: AuthorizeResult.CONDITIONAL,
        conditions: {
          rule: 'IS_RESOURCE_OWNER',
          params: {
            claims: [
              ...claims,
              'group:default/team-checkout',
              'group:default/team-search',
            ],
          },
        },
      });
    });

    it('counts no viewer group the user may not see in the catalog', async () => {
      const hidden = {
        ...sre,
        metadata: {
          ...sre.metadata,
          annotations: {
            ...sre.metadata.annotations,
            'example.com/visibility': 'platform-team',
          },
        },
      };
      const { policy, user } = viewer(hidden);
      expect(
        await policy.handle({ permission: kratixResourceReadPermission }, user),
      ).toMatchObject({
        result: AuthorizeResult.CONDITIONAL,
        conditions: { rule: 'IS_RESOURCE_OWNER', params: { claims } },
      });
    });

    it("judges a group whose visibility hangs on ownership with its relations (read apart: a team's are every member)", async () => {
      // kratix-resource entities are visible to their owners only (the policy's catalog rule).
      const ownedBy = (owner: string): Entity => ({
        ...sre,
        spec: { type: 'kratix-resource' },
        relations: [{ type: 'ownedBy', targetRef: owner }],
      });
      const decide = async (group: Entity) =>
        (await viewer(group).policy.handle(
          { permission: kratixResourceReadPermission },
          viewer(group).user,
        )) as unknown as { conditions: { params: { claims: string[] } } };
      expect(
        (await decide(ownedBy('group:default/team-sre'))).conditions.params
          .claims,
      ).toContain('group:default/team-checkout');
      expect(
        (await decide(ownedBy('group:default/someone-else'))).conditions.params
          .claims,
      ).toEqual(claims);
    });

    it('reads a group once for all its members within kratix.cache.entitySeconds, and every time at 0', async () => {
      const read = async (groupCacheMs: number) => {
        const catalog = catalogServiceMock({ entities: [sre] });
        const reads = jest.spyOn(catalog, 'getEntitiesByRefs');
        const policy = new KratixPermissionPolicy(
          mockServices.userInfo({ ownershipEntityRefs: claims }),
          {
            platformTeam: PLATFORM,
            catalog,
            auth: mockServices.auth(),
            groupCacheMs,
          },
        );
        for (const name of ['carol', 'dave']) {
          const decision = await policy.handle(
            { permission: kratixResourceReadPermission },
            {
              credentials: mockCredentials.user(`user:default/${name}`),
              info: {
                userEntityRef: `user:default/${name}`,
                ownershipEntityRefs: claims,
              },
            },
          );
          // Kept or not, the viewer group counts for each of them.
          expect(decision).toMatchObject({
            conditions: {
              params: {
                claims: expect.arrayContaining(['group:default/team-checkout']),
              },
            },
          });
        }
        return reads.mock.calls.length;
      };
      expect(await read(10_000)).toBe(1);
      expect(await read(0)).toBe(2);
    });

    it('reads no logs of theirs: kratix.resource.logs.read stays with its own claims', async () => {
      const { policy, user } = viewer();
      expect(
        await policy.handle(
          { permission: kratixResourceLogsReadPermission },
          user,
        ),
      ).toMatchObject({
        result: AuthorizeResult.CONDITIONAL,
        resourceType: 'kratix-resource',
        conditions: { rule: 'IS_RESOURCE_OWNER', params: { claims } },
      });
    });

    it('changes nothing of theirs: writes stay with its own claims', async () => {
      const { policy, user } = viewer();
      for (const permission of [
        kratixResourceCreatePermission,
        kratixResourceUpdatePermission,
        kratixResourceDeletePermission,
      ]) {
        expect(await policy.handle({ permission }, user)).toMatchObject({
          result: AuthorizeResult.CONDITIONAL,
          conditions: { rule: 'IS_ENTITY_OWNER', params: { claims } },
        });
      }
    });
  });

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

  it('hides platform-only entities from everyone else, kratix-resource entities (not templates) from all but their owners, and lists Promises for every user', async () => {
    const { policy, user } = member();
    expect(
      await policy.handle({ permission: catalogEntityReadPermission }, user),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        allOf: [
          {
            not: {
              rule: 'HAS_ANNOTATION',
              resourceType: 'catalog-entity',
              params: {
                annotation: 'example.com/visibility',
                value: 'platform-team',
              },
            },
          },
          {
            anyOf: [
              {
                not: {
                  rule: 'HAS_SPEC',
                  resourceType: 'catalog-entity',
                  params: { key: 'type', value: 'kratix-resource' },
                },
              },
              {
                rule: 'IS_ENTITY_KIND',
                resourceType: 'catalog-entity',
                params: { kinds: ['Template'] },
              },
              {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: {
                  claims: ['user:default/someone', 'group:default/team-search'],
                },
              },
            ],
          },
        ],
      },
    });
    expect(
      await policy.handle({ permission: kratixPromiseReadPermission }, user),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('keeps deleting entities, refreshing them and registering or removing locations to the platform team', async () => {
    const names = [
      catalogEntityDeletePermission,
      catalogEntityRefreshPermission,
      catalogLocationCreatePermission,
      catalogLocationDeletePermission,
    ];
    const { policy, user } = member();
    const platform = policyFor(['user:default/alice', PLATFORM]);
    for (const permission of names) {
      expect(await policy.handle({ permission }, user)).toEqual({
        result: AuthorizeResult.DENY,
      });
      expect(
        await platform.policy.handle({ permission }, platform.user),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('lets a scaffolder task be read and cancelled by its creator (IS_TASK_OWNER) and the platform team', async () => {
    const { policy, user } = member();
    const platform = policyFor(['user:default/alice', PLATFORM]);
    for (const name of ['scaffolder.task.read', 'scaffolder.task.cancel']) {
      const permission = createPermission({
        name,
        attributes: { action: name.endsWith('read') ? 'read' : 'update' },
        resourceType: 'scaffolder-task',
      });
      expect(await policy.handle({ permission }, user)).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'scaffolder',
        resourceType: 'scaffolder-task',
        conditions: {
          rule: 'IS_TASK_OWNER',
          resourceType: 'scaffolder-task',
          params: { createdBy: ['user:default/someone'] },
        },
      });
      expect(
        await platform.policy.handle({ permission }, platform.user),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('denies what it decides to callers without a user and allows unrelated permissions', async () => {
    const { policy } = member();
    expect(
      await policy.handle({ permission: kratixResourceCreatePermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
    const other = createPermission({
      name: 'scaffolder.task.create',
      attributes: { action: 'create' },
    });
    expect(await policy.handle({ permission: other })).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});

describe("the user's claims", () => {
  const claims = ['user:default/someone', 'group:default/team-search'];
  const batch = [catalogEntityReadPermission, kratixResourceReadPermission];

  it('come from the permission backend when it gives them: no lookup of its own', async () => {
    const userInfo = mockServices.userInfo({ ownershipEntityRefs: claims });
    const lookups = jest.spyOn(userInfo, 'getUserInfo');
    const policy = new KratixPermissionPolicy(userInfo, {
      platformTeam: PLATFORM,
    });
    const user = {
      credentials: mockCredentials.user('user:default/someone'),
      info: {
        userEntityRef: 'user:default/someone',
        ownershipEntityRefs: claims,
      },
    };
    const decisions = await Promise.all(
      batch.map(permission => policy.handle({ permission }, user)),
    );
    expect(decisions.map(d => d.result)).toEqual([
      AuthorizeResult.CONDITIONAL,
      AuthorizeResult.CONDITIONAL,
    ]);
    expect(lookups).not.toHaveBeenCalled();
  });

  it('are looked up once for the permissions of one query when it does not', async () => {
    const userInfo = mockServices.userInfo({ ownershipEntityRefs: claims });
    const lookups = jest.spyOn(userInfo, 'getUserInfo');
    const policy = new KratixPermissionPolicy(userInfo, {
      platformTeam: PLATFORM,
    });
    // One query: the permission backend hands every decision of a batch the same credentials.
    const user = {
      credentials: mockCredentials.user('user:default/someone'),
    } as unknown as Parameters<typeof policy.handle>[1];
    await Promise.all(
      batch.map(permission => policy.handle({ permission }, user)),
    );
    expect(lookups).toHaveBeenCalledTimes(1);
    // Another query (its own credentials) looks up again: nothing outlives the query.
    await policy.handle({ permission: kratixResourceReadPermission }, {
      credentials: mockCredentials.user('user:default/someone'),
    } as unknown as Parameters<typeof policy.handle>[1]);
    expect(lookups).toHaveBeenCalledTimes(2);
  });
});
