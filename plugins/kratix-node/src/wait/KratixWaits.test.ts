import type { JsonObject } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import type { KratixClusterService } from '../KratixClusterService';
import { DefaultKratixWaitService, readWaitLimits } from './KratixWaits';

const config = (waits: JsonObject) =>
  mockServices.rootConfig({ data: { kratix: { waits } } });

// The timeout rules need no cluster: one that fails if asked proves it.
const noCluster = new Proxy({} as KratixClusterService, {
  get() {
    throw new Error('no cluster call expected');
  },
});

describe('readWaitLimits', () => {
  it('defaults to 900 s and 3 waits per user', () => {
    expect(readWaitLimits(mockServices.rootConfig())).toEqual({
      maxSeconds: 900,
      maxPerUser: 3,
    });
    expect(readWaitLimits(config({ maxSeconds: 60, maxPerUser: 1 }))).toEqual({
      maxSeconds: 60,
      maxPerUser: 1,
    });
  });

  it.each([
    [{ maxSeconds: 0 }, /^kratix\.waits\.maxSeconds must be a positive number/],
    [{ maxPerUser: 0 }, /^kratix\.waits\.maxPerUser must be a whole number/],
    [{ maxPerUser: 1.5 }, /^kratix\.waits\.maxPerUser must be a whole number/],
  ])('refuses %j naming the key', (waits, message) => {
    expect(() => readWaitLimits(config(waits))).toThrow(message);
  });
});

describe('DefaultKratixWaitService.timeoutSeconds', () => {
  const waits = new DefaultKratixWaitService(noCluster, {
    maxSeconds: 900,
    maxPerUser: 3,
  });

  it('takes the default, lowered to the maximum', () => {
    expect(waits.timeoutSeconds(undefined, 300)).toBe(300);
    expect(
      new DefaultKratixWaitService(noCluster, {
        maxSeconds: 60,
        maxPerUser: 3,
      }).timeoutSeconds(undefined, 300),
    ).toBe(60);
  });

  it.each([
    [
      86400,
      'timeoutSeconds: 86400 is more than the longest wait allowed, 900 seconds (kratix.waits.maxSeconds)',
    ],
    [0, 'timeoutSeconds: 0 is not a positive number of seconds'],
    [-5, 'timeoutSeconds: -5 is not a positive number of seconds'],
    [Number.NaN, 'timeoutSeconds: NaN is not a number of seconds'],
  ])('refuses %p with an InputError naming the field', (seconds, message) => {
    expect(() => waits.timeoutSeconds(seconds, 300)).toThrow(
      expect.objectContaining({ name: 'InputError', message }),
    );
  });

  it('accepts the maximum itself', () => {
    expect(waits.timeoutSeconds(900, 300)).toBe(900);
  });
});
