import { TtlCache } from './TtlCache';

describe('TtlCache', () => {
  it('serves an entry until exactly its ttl, then loads afresh', async () => {
    let now = 1_000;
    const cache = new TtlCache<number>(10_000, 100, () => now);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('a', load)).toBe(1);
    now += 9_999;
    expect(await cache.get('a', load)).toBe(1);
    now += 1;
    expect(await cache.get('a', load)).toBe(2);
  });

  it('shares one load between concurrent misses, and keeps no failures', async () => {
    const cache = new TtlCache<string>(10_000);
    let release!: (v: string) => void;
    let loads = 0;
    const load = () => {
      loads += 1;
      return new Promise<string>(resolve => {
        release = resolve;
      });
    };
    const first = cache.get('k', load);
    const second = cache.get('k', load);
    release('v');
    expect(await Promise.all([first, second])).toEqual(['v', 'v']);
    expect(loads).toBe(1);

    await expect(
      cache.get('bad', () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(await cache.get('bad', async () => 'ok')).toBe('ok');
  });

  it('does not cache at all with a ttl of 0', async () => {
    const cache = new TtlCache<number>(0);
    let loads = 0;
    await cache.get('a', async () => ++loads);
    await cache.get('a', async () => ++loads);
    expect(loads).toBe(2);
  });

  it('stays bounded in size', async () => {
    let now = 0;
    const cache = new TtlCache<number>(1_000, 3, () => now);
    let loads = 0;
    const load = async () => ++loads;
    for (const key of ['a', 'b', 'c', 'd']) await cache.get(key, load);
    now += 10;
    // 'a' was evicted to make room (everything was fresh, so the cache was cleared).
    await cache.get('a', load);
    expect(loads).toBe(5);
  });
});
