/* The request log keeps the newest records up to its size, in order, and tells listeners. */
import { type RequestRecord, RequestLog } from './requestLog';

const record = (n: number): RequestRecord => ({
  time: new Date(0).toISOString(),
  user: `user-${n}`,
  groups: ['system:authenticated'],
  verb: 'get',
  method: 'GET',
  path: '/api',
  resourceRequest: false,
  apiGroup: '',
  allowed: true,
});

describe('RequestLog', () => {
  it('keeps the newest records, oldest first, dropping the oldest beyond its size', () => {
    const log = new RequestLog(3);
    for (let n = 1; n <= 5; n++) log.add(record(n));
    expect(log.entries().map(r => r.user)).toEqual([
      'user-3',
      'user-4',
      'user-5',
    ]);
    expect(log.entries(r => r.user !== 'user-4').map(r => r.user)).toEqual([
      'user-3',
      'user-5',
    ]);
    log.clear();
    expect(log.entries()).toEqual([]);
    log.add(record(6));
    expect(log.entries().map(r => r.user)).toEqual(['user-6']);
  });

  it('resolves waitFor with a kept record, or the next matching one', async () => {
    const log = new RequestLog(10);
    log.add(record(1));
    await expect(log.waitFor(r => r.user === 'user-1')).resolves.toMatchObject({
      user: 'user-1',
    });
    const next = log.waitFor(r => r.user === 'user-3');
    log.add(record(2));
    log.add(record(3));
    await expect(next).resolves.toMatchObject({ user: 'user-3' });
    await expect(
      log.waitFor(r => r.user === 'never', { timeoutMs: 10 }),
    ).rejects.toThrow(
      'no request matching the filter was recorded within 10 ms',
    );
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => new RequestLog(0)).toThrow(
      "the request log's size must be a positive integer, got 0",
    );
  });
});
