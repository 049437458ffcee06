/**
 * What an API key may do. `admin` is every scope at once and belongs only to keys not tied to a
 * tenant (`@verdict/tenants`); the others are granted to a tenant's keys.
 */
export const API_SCOPES = ['submit', 'read', 'problems:write', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Length of an API key's public prefix, its id (`vk_<prefix>_<secret>`). */
export const API_KEY_PREFIX_LENGTH = 8;

/**
 * An API key: `vk_`, the public prefix (8 letters or digits: the key's id, shown in listings), `_`,
 * and the secret (32 to 128 base64url characters; generated keys carry 43, 256 random bits).
 */
export const API_KEY_PATTERN = /^vk_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{32,128})$/;

/** How to make a key by hand (the ADMIN_API_KEY variable): 8 hex digits, then 32 random bytes in base64url. */
export const API_KEY_RECIPE = `echo "vk_$(openssl rand -hex 4)_$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')"`;

/** The public prefix of a well-formed key; null for anything else. */
export function apiKeyPrefixOf(key: string): string | null {
  return API_KEY_PATTERN.exec(key)?.[1] ?? null;
}
