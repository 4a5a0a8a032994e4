import { ConfigReader } from '@backstage/config';
import { readStreamSettings, STREAM_DEFAULTS } from './streamConfig';
import { StreamLimiter } from './streamLimiter';

const settings = (streams: object) =>
  readStreamSettings(new ConfigReader({ kratix: { streams } }));

describe('readStreamSettings', () => {
  it('has bounded defaults', () => {
    expect(settings({})).toMatchObject({
      maxPerUser: 20,
      maxFrameBytes: STREAM_DEFAULTS.maxFrameBytes,
      maxBufferedBytesPerUser: STREAM_DEFAULTS.maxBufferedBytesPerUser,
      drainTimeoutMs: 30_000,
    });
  });

  it('names the key of a value that would weaken a limit', () => {
    expect(() => settings({ maxFrameBytes: 0 })).toThrow(
      'kratix.streams.maxFrameBytes: must be a positive integer, not 0',
    );
    expect(() => settings({ drainTimeoutSeconds: -1 })).toThrow(
      /^kratix\.streams\.drainTimeoutSeconds: /,
    );
    expect(() =>
      settings({ maxFrameBytes: 2048, maxBufferedBytesPerUser: 1024 }),
    ).toThrow(
      'kratix.streams.maxBufferedBytesPerUser (1024) must be at least kratix.streams.maxFrameBytes (2048)',
    );
  });
});

describe('StreamLimiter', () => {
  it('caps a caller’s unsent bytes over all their streams, and wakes a waiting stream when another drains', () => {
    const limiter = new StreamLimiter({
      maxPerCaller: 3,
      maxBufferedBytesPerCaller: 100,
    });
    const a = limiter.acquire('user:a')!;
    const b = limiter.acquire('user:a')!;
    const other = limiter.acquire('user:b')!;
    let held = 60;
    a.bufferedBytes = () => held;
    other.bufferedBytes = () => 1000; // another caller's bytes do not count
    expect(b.mayBuffer(40)).toBe(true);
    expect(b.mayBuffer(41)).toBe(false);
    const woken: string[] = [];
    b.waitForPeers(() => woken.push('b'));
    held = 0;
    a.drained();
    expect(woken).toEqual(['b']);
    a.drained(); // once only
    expect(woken).toEqual(['b']);
    expect(b.mayBuffer(100)).toBe(true);
  });

  it('frees a slot once however often it is released', () => {
    const limiter = new StreamLimiter({
      maxPerCaller: 1,
      maxBufferedBytesPerCaller: 100,
    });
    const slot = limiter.acquire('user:a')!;
    expect(limiter.acquire('user:a')).toBeUndefined();
    slot.release();
    slot.release();
    expect(limiter.count('user:a')).toBe(0);
    const next = limiter.acquire('user:a')!;
    slot.release(); // a stale release must not free the new stream's slot
    expect(limiter.count('user:a')).toBe(1);
    next.release();
  });
});
