import { Inject, Injectable, Module } from '@nestjs/common';
import { ApiKeysConfig } from '@verdict/config';
import { REDIS, RedisKeys, RedisModule } from '@verdict/redis';
import Redis from 'ioredis';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CLOCK, Clock, systemClock } from './clock';
import { Principal } from './principal';
import { ProgressTokenRejectedError } from './tenant-errors';

/** The query parameter a progress token rides in (RFC 6750's name for a bearer token in a URI). */
export const PROGRESS_TOKEN_PARAMETER = 'access_token';

/** Anything shaped like a progress token, wherever it appears in a URL. */
export const PROGRESS_TOKEN_IN_TEXT = /vpt_[A-Za-z0-9_-]{16,}/;

const PROGRESS_TOKEN = /^vpt_([A-Za-z0-9_-]{1,1024})\.([A-Za-z0-9_-]{43})$/;

/** Put before the signed part, so no other HMAC this secret might ever make is a valid token. */
const SIGNING_CONTEXT = 'verdict progress token v1\n';

/** What a token says: one submission, for the tenant and key that minted it, until `exp` (epoch s). */
interface ProgressTokenClaims {
  submissionId: string;
  tenantId: string | null;
  keyId: string;
  exp: number;
}

export interface IssuedProgressToken {
  token: string;
  expiresAt: Date;
}

/**
 * Short-lived read-only tokens for one submission's live progress, for browsers' EventSource, which
 * cannot send an Authorization header. `vpt_<claims>.<HMAC-SHA256>`: the claims (base64url JSON:
 * submission, tenant, minting key, expiry) signed with the shared secret, so any API replica checks
 * a token another minted, without Redis state per token. The secret is PROGRESS_TOKEN_SECRET, or,
 * unset, one made once in Redis and read from there on every use (so every replica signs with the
 * same one, even after it is replaced). A token grants `read` on its submission's events and
 * nothing else (`ApiKeyGuard` takes it only on `@AcceptsProgressToken` routes, for the submission in
 * the URL); it is not revoked with its key, which is why it lives PROGRESS_TOKEN_TTL_SECONDS only.
 */
@Injectable()
export class ProgressTokens {
  constructor(
    private readonly config: ApiKeysConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A token for `submissionId` acting as `principal`, read only. The caller checks that `principal` may see it. */
  async issue(submissionId: string, principal: Principal): Promise<IssuedProgressToken> {
    const exp = Math.floor(this.clock().getTime() / 1000) + this.config.PROGRESS_TOKEN_TTL_SECONDS;
    const claims: ProgressTokenClaims = { submissionId, tenantId: principal.tenantId, keyId: principal.keyId, exp };
    const encoded = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `vpt_${encoded}.${sign(await this.secret(), encoded).toString('base64url')}`, expiresAt: new Date(exp * 1000) };
  }

  /**
   * The principal a token acts as, with `read` only, if it is well formed, signed with the secret,
   * not expired, and for `submissionId`; else `ProgressTokenRejectedError` saying which (never
   * showing the token). Expiry and submission are said only of a correctly signed token.
   */
  async verify(token: string, submissionId: string | undefined): Promise<Principal> {
    const match = PROGRESS_TOKEN.exec(token);
    if (!match) throw new ProgressTokenRejectedError('malformed progress token: expected vpt_<claims>.<signature>, as POST /v1/submissions/:id/events-token gives it');
    const [, encoded, signature] = match;
    // Compared as text, both 43 characters: a signature's other spellings (the last character's unused bits) are refused.
    const expected = Buffer.from(sign(await this.secret(), encoded).toString('base64url'));
    if (!timingSafeEqual(Buffer.from(signature), expected)) throw new ProgressTokenRejectedError('invalid progress token');

    const claims = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as ProgressTokenClaims;
    if (claims.exp * 1000 <= this.clock().getTime()) {
      throw new ProgressTokenRejectedError(`progress token expired at ${new Date(claims.exp * 1000).toISOString()}: mint another with POST /v1/submissions/${claims.submissionId}/events-token`);
    }
    if (claims.submissionId !== submissionId) throw new ProgressTokenRejectedError('this progress token is for another submission');
    return { tenantId: claims.tenantId, keyId: claims.keyId, scopes: ['read'], isAdmin: claims.tenantId === null };
  }

  private async secret(): Promise<Buffer> {
    const configured = this.config.progressTokenSecret();
    if (configured !== null) return Buffer.from(configured);
    const stored = await this.redis.get(this.keys.progressTokenSecret);
    if (stored !== null) return Buffer.from(stored);
    // The first replica to need one makes it; one that loses the race reads the winner's.
    await this.redis.set(this.keys.progressTokenSecret, randomBytes(32).toString('base64url'), 'NX');
    return Buffer.from((await this.redis.get(this.keys.progressTokenSecret))!);
  }
}

function sign(secret: Buffer, encodedClaims: string): Buffer {
  return createHmac('sha256', secret).update(SIGNING_CONTEXT).update(encodedClaims).digest();
}

/**
 * ProgressTokens alone, for a library that mints them (`@verdict/submissions`) without the rest of
 * the tenants library. Needs RedisConfig and ApiKeysConfig. TenantsModule re-exports it.
 */
@Module({
  imports: [RedisModule],
  providers: [{ provide: CLOCK, useValue: systemClock }, ProgressTokens],
  exports: [ProgressTokens],
})
export class ProgressTokensModule {}
