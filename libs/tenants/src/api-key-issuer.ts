import { Inject, Injectable } from '@nestjs/common';
import { ApiKeysConfig } from '@verdict/config';
import { ApiScope, CreatedApiKeyView, SUBMISSION_LANES, SubmissionLane, apiKeyPrefixOf } from '@verdict/contracts';
import { generateApiKey, hashApiKey } from './api-key-material';
import { ApiKeyRecord, viewOf } from './api-key-record';
import { ApiKeyStore } from './api-key-store';
import { CLOCK, Clock } from './clock';
import { AdminKeyAlreadyBootstrappedError, TenantNotFoundError } from './tenant-errors';

/** A key just made: the whole key, shown this once (only its hash is kept), and its record as listed. */
export type CreatedApiKey = CreatedApiKeyView;

/** Draws of a fresh prefix when the one drawn is taken (about 1 in 2^47 per key stored). */
const PREFIX_TRIES = 5;

/** Makes and stores a key for CreateApiKey and BootstrapAdminKey: generation, hashing, a free prefix. */
@Injectable()
export class ApiKeyIssuer {
  constructor(
    private readonly store: ApiKeyStore,
    private readonly config: ApiKeysConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `lanes` absent: every lane (always so for an admin key). */
  async issue(
    { lanes, ...grant }: { tenantId: string | null; scopes: ApiScope[]; name: string | null; expiresAt: string | null; lanes?: SubmissionLane[] },
    options: { bootstrap?: boolean } = {},
  ): Promise<CreatedApiKey> {
    const adminPrefix = apiKeyPrefixOf(this.config.adminKey() ?? '');
    for (let attempt = 0; attempt < PREFIX_TRIES; attempt++) {
      const { key, prefix } = generateApiKey();
      if (prefix === adminPrefix) continue;
      const now = this.clock();
      const record: ApiKeyRecord = { ...grant, lanes: lanes ?? [...SUBMISSION_LANES], prefix, sha256: hashApiKey(key).toString('hex'), createdAt: now.toISOString(), revokedAt: null, lastUsedAt: null };
      const outcome = await this.store.create(record, options);
      if (outcome === 'created') return { key, apiKey: viewOf(record, now) };
      if (outcome === 'no-tenant') throw new TenantNotFoundError(grant.tenantId!);
      if (outcome === 'already-bootstrapped') throw new AdminKeyAlreadyBootstrappedError();
    }
    throw new Error(`no free API key prefix found in ${PREFIX_TRIES} draws`);
  }
}
