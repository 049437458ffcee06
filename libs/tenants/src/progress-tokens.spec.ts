import { ApiKeysConfig, loadConfig } from '@verdict/config';
import { Principal } from './principal';
import { ProgressTokens } from './progress-tokens';
import { ProgressTokenRejectedError } from './tenant-errors';
import { TenantsFixture, rejectionOf } from './tenants.spec-support';

const SUBMISSION = '0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11';
const OTHER = '1c9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a12';
const READER: Principal = { tenantId: 'acme', keyId: 'R3ader01', scopes: ['read', 'submit'], isAdmin: false };
const ADMIN: Principal = { tenantId: null, keyId: '0pera7or', scopes: ['admin'], isAdmin: true };

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(ProgressTokenRejectedError);
  return error.message;
}

describe('ProgressTokens', () => {
  const f = new TenantsFixture({ PROGRESS_TOKEN_TTL_SECONDS: '60' });
  afterAll(() => f.close());

  it('mints a token that opens its submission as the minting key, with read only, until it expires', async () => {
    const { token, expiresAt } = await f.progressTokens.issue(SUBMISSION, READER);
    expect(token).toMatch(/^vpt_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toEqual(new Date(f.clock.now().getTime() + 60_000));
    expect(await f.progressTokens.verify(token, SUBMISSION)).toEqual({ tenantId: 'acme', keyId: 'R3ader01', scopes: ['read'], isAdmin: false });

    f.clock.advance(59);
    await f.progressTokens.verify(token, SUBMISSION);
    f.clock.advance(1);
    expect(await refusal(f.progressTokens.verify(token, SUBMISSION))).toBe(`progress token expired at ${expiresAt.toISOString()}: mint another with POST /v1/submissions/${SUBMISSION}/events-token`);
  });

  it("keeps an admin's token to its submission too", async () => {
    const { token } = await f.progressTokens.issue(SUBMISSION, ADMIN);
    expect(await f.progressTokens.verify(token, SUBMISSION)).toEqual({ tenantId: null, keyId: '0pera7or', scopes: ['read'], isAdmin: true });
    expect(await refusal(f.progressTokens.verify(token, OTHER))).toBe('this progress token is for another submission');
  });

  it('refuses a token for another submission, a forged or altered one, and a malformed one, never echoing it', async () => {
    const { token } = await f.progressTokens.issue(SUBMISSION, READER);
    expect(await refusal(f.progressTokens.verify(token, OTHER))).toBe('this progress token is for another submission');
    expect(await refusal(f.progressTokens.verify(token, undefined))).toBe('this progress token is for another submission');

    const [claims, signature] = token.slice(4).split('.');
    const forgedClaims = Buffer.from(JSON.stringify({ submissionId: OTHER, tenantId: 'acme', keyId: 'R3ader01', exp: 4102444800 })).toString('base64url');
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    // The last character carries 4 bits of the signature and 2 unused ones: another spelling of it is refused too.
    const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = `${signature.slice(0, -1)}${BASE64URL[BASE64URL.indexOf(signature[42]) + 1]}`;
    expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    for (const forged of [`vpt_${forgedClaims}.${signature}`, `vpt_${claims}.${flipped}`, `vpt_${claims}.${respelled}`]) {
      expect(await refusal(f.progressTokens.verify(forged, OTHER))).toBe('invalid progress token');
    }
    for (const malformed of ['', 'vpt_', `vpt_${claims}`, `vpt_${claims}.${signature}x`, `vk_${claims}.${signature}`, `${token},${token}`]) {
      const message = await refusal(f.progressTokens.verify(malformed, SUBMISSION));
      expect(message).toMatch(/^malformed progress token: expected vpt_<claims>\.<signature>/);
      expect(message).not.toContain(claims);
    }
  });

  it('without PROGRESS_TOKEN_SECRET, signs with one secret made once in Redis, so every replica checks every token', async () => {
    const other = f.newProgressTokens();
    const [a, b] = await Promise.all([f.progressTokens.issue(SUBMISSION, READER), other.issue(SUBMISSION, READER)]);
    expect(await other.verify(a.token, SUBMISSION)).toMatchObject({ tenantId: 'acme' });
    expect(await f.progressTokens.verify(b.token, SUBMISSION)).toMatchObject({ tenantId: 'acme' });
    expect(await f.redis.get(f.keys.progressTokenSecret)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('with PROGRESS_TOKEN_SECRET, signs with it, and a token of another secret is invalid', async () => {
    const withSecret = (secret: string) => new ProgressTokens(loadConfig(ApiKeysConfig, { PROGRESS_TOKEN_SECRET: secret }), f.redis, f.keys, f.clock.now);
    const one = withSecret('s'.repeat(32));
    const { token } = await one.issue(SUBMISSION, READER);
    expect(await withSecret('s'.repeat(32)).verify(token, SUBMISSION)).toMatchObject({ keyId: 'R3ader01' });
    expect(await refusal(withSecret('t'.repeat(32)).verify(token, SUBMISSION))).toBe('invalid progress token');
    expect(await refusal(f.progressTokens.verify(token, SUBMISSION))).toBe('invalid progress token');
  });
});
