import { mockCredentials } from '@backstage/backend-test-utils';
import { VerifiedTokens } from './VerifiedTokens';

/** An unsigned JWT-shaped token (VerifiedTokens only reads `exp`; `verify` decides validity). */
const jwt = (claims: object) =>
  [
    Buffer.from('{"alg":"none"}').toString('base64url'),
    Buffer.from(JSON.stringify(claims)).toString('base64url'),
    'signature',
  ].join('.');

const request = (token: string) => ({
  headers: { authorization: `Bearer ${token}` },
});

describe('VerifiedTokens', () => {
  let now: number;
  const clock = () => now;
  const verifier = () => {
    const verify = jest.fn(async () => mockCredentials.user());
    return verify;
  };

  beforeEach(() => {
    now = 1_000_000;
  });

  it('verifies a token once within the bound, and again after it', async () => {
    const tokens = new VerifiedTokens(10_000, 100, clock);
    const token = jwt({ sub: 'user:default/guest', exp: now / 1000 + 3600 });
    const verify = verifier();
    const first = await tokens.credentials(request(token), verify);
    now += 9_999;
    expect(await tokens.credentials(request(token), verify)).toBe(first);
    expect(verify).toHaveBeenCalledTimes(1);
    now += 1;
    await tokens.credentials(request(token), verify);
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it("never keeps a verification past the token's own expiry", async () => {
    const tokens = new VerifiedTokens(10_000, 100, clock);
    const token = jwt({ exp: now / 1000 + 2 });
    const verify = verifier();
    await tokens.credentials(request(token), verify);
    now += 2_000;
    await tokens.credentials(request(token), verify);
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('keeps no failed verification', async () => {
    const tokens = new VerifiedTokens(10_000, 100, clock);
    const token = jwt({ exp: now / 1000 + 3600 });
    const refuse = jest.fn(async () => {
      throw new Error('Illegal token');
    });
    await expect(tokens.credentials(request(token), refuse)).rejects.toThrow(
      'Illegal token',
    );
    await expect(tokens.credentials(request(token), refuse)).rejects.toThrow(
      'Illegal token',
    );
    expect(refuse).toHaveBeenCalledTimes(2);
  });

  it('verifies every time a token without an expiry, a request without a token, and everything at 0', async () => {
    const verify = verifier();
    const kept = new VerifiedTokens(10_000, 100, clock);
    const off = new VerifiedTokens(0, 100, clock);
    const withExpiry = jwt({ exp: now / 1000 + 3600 });
    for (let i = 0; i < 2; i++) {
      await kept.credentials(request('a-static-external-token'), verify);
      await kept.credentials({ headers: {} }, verify);
      await off.credentials(request(withExpiry), verify);
    }
    expect(verify).toHaveBeenCalledTimes(6);
  });

  it('keeps each token apart', async () => {
    const tokens = new VerifiedTokens(10_000, 100, clock);
    const verify = verifier();
    await tokens.credentials(request(jwt({ exp: now / 1000 + 60 })), verify);
    await tokens.credentials(request(jwt({ exp: now / 1000 + 61 })), verify);
    expect(verify).toHaveBeenCalledTimes(2);
  });
});
