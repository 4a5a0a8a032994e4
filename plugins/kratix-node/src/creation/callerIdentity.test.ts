/*
 * Who a cluster call is made for: users only, ownership from Backstage's user info, the email only
 * where a cluster names users by it, ID tokens matched to the configured provider, and nothing
 * looked up where no cluster acts as each user.
 */
import { ConfigReader } from '@backstage/config';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { KratixClusterService } from '../KratixClusterService';
import { DefaultKratixCallerService } from './callerIdentity';

const guest: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'guest', namespace: 'default' },
  spec: { profile: { email: 'guest@example.com' }, memberOf: ['team-search'] },
  relations: [
    { type: 'memberOf', targetRef: 'group:default/team-search' },
    { type: 'memberOf', targetRef: 'group:default/team-checkout' },
  ],
};

type Auth = Record<string, string>;

/** The service over clusters named with their auth; `impersonate` and `oidc` act as each user. */
function callersFor(clusters: Record<string, Auth>) {
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: async () => ({
      userEntityRef: 'user:default/guest',
      ownershipEntityRefs: [
        'user:default/guest',
        'group:default/team-search',
        'group:default/team-checkout',
      ],
    }),
  });
  const catalog = catalogServiceMock({ entities: [guest] });
  const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
  const clusterService = {
    clusters: () =>
      Object.keys(clusters).map(name => ({ name, sandbox: false })),
    actsAsUser: (name: string) =>
      ['impersonate', 'oidc'].includes(clusters[name]?.type ?? ''),
  } as unknown as KratixClusterService;
  const service = new DefaultKratixCallerService({
    userInfo,
    catalog,
    auth: mockServices.auth(),
    clusters: clusterService,
    config: new ConfigReader({
      kratix: {
        clusters: Object.entries(clusters).map(([name, auth]) => ({
          name,
          url: 'https://cluster.example.com',
          auth,
        })),
      },
    }),
  });
  return { service, userInfo, getEntityByRef };
}

describe('DefaultKratixCallerService', () => {
  it('looks nothing up when no cluster acts as each user', async () => {
    const { service, userInfo } = callersFor({
      prod: { type: 'serviceAccount', token: 't' },
    });
    expect(
      await service.forCredentials(mockCredentials.user('user:default/guest')),
    ).toBeUndefined();
    expect(await service.forUserRef('user:default/guest')).toBeUndefined();
    expect(userInfo.getUserInfo).not.toHaveBeenCalled();
  });

  it('never builds a caller for a service principal', async () => {
    const { service, userInfo } = callersFor({
      prod: { type: 'impersonate', token: 't' },
    });
    expect(
      await service.forCredentials(mockCredentials.service('plugin:catalog')),
    ).toBeUndefined();
    expect(userInfo.getUserInfo).not.toHaveBeenCalled();
  });

  it("takes the user's ownership from user info, and reads no email when no cluster maps by it", async () => {
    const { service, getEntityByRef } = callersFor({
      prod: { type: 'impersonate', token: 't' },
    });
    expect(
      await service.forCredentials(mockCredentials.user('user:default/guest')),
    ).toEqual({
      userEntityRef: 'user:default/guest',
      ownershipEntityRefs: [
        'user:default/guest',
        'group:default/team-search',
        'group:default/team-checkout',
      ],
    });
    expect(getEntityByRef).not.toHaveBeenCalled();
  });

  it('reads the email from the user entity, as the caller, when a cluster names users by email', async () => {
    const { service, getEntityByRef } = callersFor({
      prod: { type: 'impersonate', token: 't', user: 'email' },
    });
    const credentials = mockCredentials.user('user:default/guest');
    const caller = await service.forCredentials(credentials);
    expect(caller?.email).toBe('guest@example.com');
    expect(getEntityByRef).toHaveBeenCalledWith('user:default/guest', {
      credentials,
    });
  });

  it('reuses a user’s identity within the bound, but never their ID tokens', async () => {
    const { service, userInfo } = callersFor({
      prod: { type: 'oidc', token: 't', oidcTokenProvider: 'myOidc' },
    });
    const credentials = mockCredentials.user('user:default/guest');
    const first = await service.forCredentials(credentials, {
      idTokens: { myoidc: 'token-1' },
    });
    const second = await service.forCredentials(credentials);
    // Header names arrive lower-cased; the token is filed under the configured provider name.
    expect(first?.idTokens).toEqual({ myOidc: 'token-1' });
    expect(second?.idTokens).toBeUndefined();
    expect(userInfo.getUserInfo).toHaveBeenCalledTimes(1);
  });

  it("builds a user's caller from the catalog's memberOf relations when there is no request", async () => {
    const { service } = callersFor({
      prod: { type: 'impersonate', token: 't', user: 'email' },
    });
    expect(await service.forUserRef('guest')).toEqual({
      userEntityRef: 'user:default/guest',
      ownershipEntityRefs: [
        'user:default/guest',
        'group:default/team-search',
        'group:default/team-checkout',
      ],
      email: 'guest@example.com',
    });
    // Not in the catalog: asked about as themselves, in no group.
    expect(await service.forUserRef('user:default/nobody')).toEqual({
      userEntityRef: 'user:default/nobody',
      ownershipEntityRefs: ['user:default/nobody'],
    });
  });
});
