import { ApiKeyStatus, ApiKeyView, ApiScope, SubmissionLane } from '@verdict/contracts';

/** An API key as stored: everything but the key itself, of which only the SHA-256 is kept. */
export interface ApiKeyRecord {
  /** The public prefix: the key's id. */
  prefix: string;
  /** The tenant it acts for; null for an admin key (scopes `['admin']`). */
  tenantId: string | null;
  name: string | null;
  scopes: ApiScope[];
  /** The lanes its submissions and batches may name; every lane for admin keys and for keys stored before keys had lanes. */
  lanes: SubmissionLane[];
  /** Hex SHA-256 of the whole key (`vk_<prefix>_<secret>`). */
  sha256: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** When it last authenticated, to within the cache bound (API_KEY_CACHE_SECONDS); null if never. */
  lastUsedAt: string | null;
}


export function statusOf(record: Pick<ApiKeyRecord, 'revokedAt' | 'expiresAt'>, now: Date): ApiKeyStatus {
  if (record.revokedAt !== null) return 'revoked';
  if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
}

export function viewOf(record: ApiKeyRecord, now: Date): ApiKeyView {
  const { sha256: _hash, ...shown } = record;
  return { ...shown, status: statusOf(record, now) };
}
