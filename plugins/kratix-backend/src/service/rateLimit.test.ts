/* The per-user sliding window (issue 20, Low 9): the (max+1)th attempt in a window is a 429. */
import { TooManyRequestsError, UserRateLimiter } from './rateLimit';

describe('UserRateLimiter', () => {
  it('refuses the attempt after max within the window, per user, and admits again as it slides', () => {
    let now = 1_000_000;
    const limiter = new UserRateLimiter(
      { max: 3, windowSeconds: 60 },
      'manage actions',
      () => now,
    );
    for (let i = 0; i < 3; i++) {
      limiter.take('user:default/guest');
      now += 1000;
    }
    let refused: unknown;
    try {
      limiter.take('user:default/guest');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect(refused).toMatchObject({
      statusCode: 429,
      retryAfterSeconds: 57,
      message: expect.stringMatching(/at most 3 in 60 seconds per user/),
    });
    // Another user is not affected.
    expect(() => limiter.take('user:default/bob')).not.toThrow();
    // The first attempt leaves the window: one more is admitted, and only one.
    now = 1_000_000 + 60_001;
    expect(() => limiter.take('user:default/guest')).not.toThrow();
    expect(() => limiter.take('user:default/guest')).toThrow(
      TooManyRequestsError,
    );
  });
});
