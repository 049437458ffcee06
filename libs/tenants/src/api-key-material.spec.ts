import { API_KEY_PATTERN, apiKeyPrefixOf } from '@verdict/contracts';
import { createHash } from 'node:crypto';
import { generateApiKey, hashApiKey, hashMatches } from './api-key-material';

describe('API key material', () => {
  it('generates vk_<8 base62>_<43 base64url> keys whose prefix is their id', () => {
    const keys = Array.from({ length: 200 }, generateApiKey);
    for (const { key, prefix } of keys) {
      expect(key).toMatch(/^vk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
      expect(key).toMatch(API_KEY_PATTERN);
      expect(apiKeyPrefixOf(key)).toBe(prefix);
      expect(Buffer.from(key.slice(12), 'base64url')).toHaveLength(32);
    }
    expect(new Set(keys.map((k) => k.key)).size).toBe(200);
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(200);
    // Every base62 character turns up in the prefixes: no alphabet slice is left out.
    expect(new Set(keys.flatMap((k) => [...k.prefix])).size).toBe(62);
  });

  it('hashes with SHA-256 and compares only equal hashes as equal', () => {
    const { key } = generateApiKey();
    const hash = hashApiKey(key);
    expect(hash.toString('hex')).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashMatches(hash, hash.toString('hex'))).toBe(true);
    expect(hashMatches(hashApiKey(`${key}x`), hash.toString('hex'))).toBe(false);
    expect(hashMatches(hash, 'abcd')).toBe(false);
    expect(hashMatches(hash, '')).toBe(false);
  });

  it('reads the prefix of well-formed keys only', () => {
    expect(apiKeyPrefixOf(`vk_AbCd1234_${'-'.repeat(32)}`)).toBe('AbCd1234');
    expect(apiKeyPrefixOf(`vk_AbCd1234_${'a'.repeat(129)}`)).toBeNull();
    expect(apiKeyPrefixOf(`vk_AbCd-234_${'a'.repeat(40)}`)).toBeNull();
    expect(apiKeyPrefixOf(` vk_AbCd1234_${'a'.repeat(40)}`)).toBeNull();
  });
});
