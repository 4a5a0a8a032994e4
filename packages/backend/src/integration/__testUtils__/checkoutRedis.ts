/*
 * The Resource the notification tests tell people about: a redis in `default` for the example
 * catalog's checkout-service (owned by team-checkout, of which guest is a member), requested by alice
 * (team-platform, not an owner), so that its requester and its owners are different people.
 */
import request from 'supertest';
import type { KratixTestBackend } from './testBackend';

export const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
export const CHECKOUT = 'component:default/checkout-service';
/** The requester. */
export const ALICE = 'user:default/alice';
/** An owner of checkout-service. */
export const GUEST = 'user:default/guest';

/** Alice requests a small redis `name` for checkout-service through the backend; its uid. */
export async function requestCheckoutRedis(
  backend: Pick<KratixTestBackend, 'server' | 'auth'>,
  name: string,
): Promise<string> {
  const created = await request(backend.server)
    .post('/api/kratix/resources')
    .set('Authorization', await backend.auth('alice'))
    .send({
      promise: 'redis',
      namespace: 'default',
      name,
      spec: { size: 'small' },
      entityRef: CHECKOUT,
    });
  expect(created.status).toBe(201);
  return created.body.object.metadata.uid;
}
