import { API_KEY_PREFIX_LENGTH } from '@verdict/contracts';
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` base62 characters from crypto.randomBytes, unbiased (bytes of 248 and above are drawn again). */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** A new key: `vk_<prefix>_<secret>`, the prefix 8 base62 characters (about 47 bits), the secret 32 random bytes in base64url (43 characters). */
export function generateApiKey(): { key: string; prefix: string } {
  const prefix = randomBase62(API_KEY_PREFIX_LENGTH);
  return { key: `vk_${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

/**
 * What is stored of a key: its SHA-256. A fast hash is enough here, unlike for passwords: the
 * secret is 256 random bits, so the hash of a stolen record cannot be searched back to a key,
 * however fast each guess; a slow hash (bcrypt, scrypt) would only cost every request CPU.
 */
export function hashApiKey(key: string): Buffer {
  return hash('sha256', key, 'buffer');
}

/** The presented key's hash against a stored one (hex), in constant time. */
export function hashMatches(presented: Buffer, storedHex: string): boolean {
  const stored = Buffer.from(storedHex, 'hex');
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}

