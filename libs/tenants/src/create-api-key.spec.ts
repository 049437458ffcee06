import { API_KEY_PATTERN, RequestValidationError } from '@verdict/contracts';
import * as material from './api-key-material';
import { InvalidTenantsCommandError, TenantNotFoundError } from './tenant-errors';
import { TenantsFixture, rejectionOf } from './tenants.spec-support';

describe('CreateApiKey', () => {
  const f = new TenantsFixture();
  beforeAll(() => f.createTenant.execute({ id: 'acme', name: 'Acme' }));
  afterAll(() => f.close());

  it('returns the whole key once, vk_<8 base62>_<43 base64url>, and stores only its SHA-256 under the prefix', async () => {
    const { key, apiKey } = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['submit', 'read'], name: 'CI runner', expiresAt: '2027-01-01T00:00:00Z' });
    expect(key).toMatch(/^vk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatch(API_KEY_PATTERN);
    expect(apiKey).toEqual({
      prefix: key.slice(3, 11),
      tenantId: 'acme',
      name: 'CI runner',
      scopes: ['submit', 'read'],
      lanes: ['live', 'contest', 'practice'],
      createdAt: '2026-06-01T12:00:00.000Z',
      expiresAt: '2027-01-01T00:00:00.000Z',
      revokedAt: null,
      lastUsedAt: null,
      status: 'active',
    });
    expect(apiKey).not.toHaveProperty('sha256');

    const stored = await f.redis.hgetall(f.keys.apiKey(apiKey.prefix));
    expect(stored.sha256).toBe(material.hashApiKey(key).toString('hex'));
    // Neither the key nor its secret is anywhere in Redis.
    const secret = key.slice(12);
    for (const name of await f.storedKeys()) {
      const type = await f.redis.type(name);
      const values = type === 'hash' ? Object.values(await f.redis.hgetall(name)) : type === 'zset' ? await f.redis.zrange(name, 0, -1) : [];
      expect(values.join(' ')).not.toContain(secret);
    }
    expect(await f.redis.zrange(f.keys.tenantApiKeys('acme'), 0, -1)).toEqual([apiKey.prefix]);
  });

  it('makes keys with no expiry or name, each different', async () => {
    const a = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['problems:write'] });
    const b = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['problems:write'] });
    expect(a.apiKey).toMatchObject({ name: null, expiresAt: null, status: 'active' });
    expect(a.key).not.toBe(b.key);
    expect(a.apiKey.prefix).not.toBe(b.apiKey.prefix);
  });

  it('makes an admin key for no tenant, with the admin scope only', async () => {
    const { key, apiKey } = await f.createApiKey.execute({ tenantId: null, scopes: ['admin'], name: 'ops' });
    expect(apiKey).toMatchObject({ tenantId: null, scopes: ['admin'], lanes: ['live', 'contest', 'practice'] });
    expect(await f.redis.zrange(f.keys.adminApiKeys, 0, -1)).toEqual([apiKey.prefix]);
    expect(await f.authenticator.authenticate(`Bearer ${key}`)).toEqual({ tenantId: null, keyId: apiKey.prefix, scopes: ['admin'], isAdmin: true });
  });

  it('stores the lanes a key may use, in lane order, and carries them on its principal', async () => {
    const { key, apiKey } = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['submit'], lanes: ['practice', 'contest'] });
    expect(apiKey.lanes).toEqual(['contest', 'practice']);
    expect(JSON.parse((await f.redis.hget(f.keys.apiKey(apiKey.prefix), 'lanes'))!)).toEqual(['contest', 'practice']);
    expect(await f.authenticator.authenticate(`Bearer ${key}`)).toEqual({ tenantId: 'acme', keyId: apiKey.prefix, scopes: ['submit'], isAdmin: false, lanes: ['contest', 'practice'] });
    expect((await f.listApiKeys.execute('acme')).find((k) => k.prefix === apiKey.prefix)?.lanes).toEqual(['contest', 'practice']);
  });

  it('takes lanes null as not given: every lane (on an admin key too)', async () => {
    const { apiKey } = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['submit'], lanes: null } as never);
    expect(apiKey.lanes).toEqual(['live', 'contest', 'practice']);
    await expect(f.createApiKey.execute({ tenantId: null, scopes: ['admin'], lanes: null } as never)).resolves.toMatchObject({ apiKey: { lanes: ['live', 'contest', 'practice'] } });
  });

  it('lets a key stored before keys had lanes use every lane', async () => {
    const { key, apiKey } = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['submit'], lanes: ['practice'] });
    await f.redis.hdel(f.keys.apiKey(apiKey.prefix), 'lanes');
    f.authenticator.forget(apiKey.prefix);
    expect((await f.authenticator.authenticate(`Bearer ${key}`)).lanes).toEqual(['live', 'contest', 'practice']);
    expect((await f.listApiKeys.execute('acme')).find((k) => k.prefix === apiKey.prefix)?.lanes).toEqual(['live', 'contest', 'practice']);
  });

  it('draws another prefix when the one drawn is taken', async () => {
    const taken = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['read'] });
    const fresh = { key: `vk_Fresh123_${'x'.repeat(43)}`, prefix: 'Fresh123' };
    const generate = jest
      .spyOn(material, 'generateApiKey')
      .mockReturnValueOnce({ key: `vk_${taken.apiKey.prefix}_${'y'.repeat(43)}`, prefix: taken.apiKey.prefix })
      .mockReturnValueOnce(fresh);
    try {
      const made = await f.createApiKey.execute({ tenantId: 'acme', scopes: ['read'] });
      expect(made.key).toBe(fresh.key);
    } finally {
      generate.mockRestore();
    }
    // The taken key is unchanged.
    expect((await f.authenticator.authenticate(`Bearer ${taken.key}`)).keyId).toBe(taken.apiKey.prefix);
  });

  it('does not find an unknown tenant, storing nothing', async () => {
    const before = await f.storedKeys();
    await expect(f.createApiKey.execute({ tenantId: 'nobody', scopes: ['read'] })).rejects.toBeInstanceOf(TenantNotFoundError);
    expect(await f.storedKeys()).toEqual(expect.arrayContaining(before));
    expect((await f.storedKeys()).length).toBe(before.length);
  });

  it.each([
    [{ tenantId: 'acme', scopes: [] }, 'scopes', /^scopes should not be empty/],
    [{ tenantId: 'acme', scopes: ['write'] }, 'scopes', /^scopes must each be one of submit, read, problems:write, admin$/],
    [{ tenantId: 'acme', scopes: ['read', 'read'] }, 'scopes', /^scopes must not name a scope twice$/],
    [{ tenantId: 'acme', scopes: 'read' }, 'scopes', /^scopes must be an array/],
    [{ tenantId: 'ACME', scopes: ['read'] }, 'tenantId', /^tenantId must be 2 to 63 lowercase/],
    [{ scopes: ['read'] }, 'tenantId', /^tenantId must be/],
    [{ tenantId: 'acme', scopes: ['read'], expiresAt: 'tomorrow' }, 'expiresAt', /^expiresAt must be an ISO 8601 time/],
    [{ tenantId: 'acme', scopes: ['read'], expiresAt: '2027-01-01T00:00:00' }, 'expiresAt', /^expiresAt must give a time and its zone/],
    [{ tenantId: 'acme', scopes: ['read'], name: '' }, 'name', /^name must be longer than or equal to 1/],
    [{ tenantId: 'acme', scopes: ['read'], hash: 'x' }, 'hash', /should not exist/],
    [{ tenantId: 'acme', scopes: ['submit'], lanes: [] }, 'lanes', /^lanes must name at least one lane$/],
    [{ tenantId: 'acme', scopes: ['submit'], lanes: ['fast'] }, 'lanes', /^lanes must each be one of live, contest, practice$/],
    [{ tenantId: 'acme', scopes: ['submit'], lanes: ['rejudge'] }, 'lanes', /^lanes must each be one of live, contest, practice$/],
    [{ tenantId: 'acme', scopes: ['submit'], lanes: ['live', 'live'] }, 'lanes', /^lanes must not name a lane twice$/],
    [{ tenantId: 'acme', scopes: ['submit'], lanes: 'live' }, 'lanes', /^lanes must be an array/],
  ])('refuses %j, naming %s', async (command, field, message) => {
    const error = await rejectionOf(f.createApiKey.execute(command as never));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).problems).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  it.each([
    [{ tenantId: 'acme', scopes: ['read', 'admin'] }, 'scopes', "scopes of a tenant's key must not include admin: admin keys have no tenant"],
    [{ tenantId: null, scopes: ['read'] }, 'scopes', 'scopes of an admin key (tenantId null) must be exactly ["admin"]'],
    [{ tenantId: null, scopes: ['admin', 'read'] }, 'scopes', 'scopes of an admin key (tenantId null) must be exactly ["admin"]'],
    [{ tenantId: 'acme', scopes: ['read'], expiresAt: '2026-06-01T12:00:00Z' }, 'expiresAt', 'expiresAt must be in the future'],
    [{ tenantId: null, scopes: ['admin'], lanes: ['live'] }, 'lanes', 'lanes cannot be set on an admin key (tenantId null): it may use every lane'],
  ])('refuses %j (%s)', async (command, field, message) => {
    const error = await rejectionOf(f.createApiKey.execute(command as never));
    expect(error).toBeInstanceOf(InvalidTenantsCommandError);
    expect(error).toMatchObject({ kind: 'invalid', problems: [{ field, message }] });
  });
});
