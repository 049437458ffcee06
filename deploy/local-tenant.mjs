#!/usr/bin/env node
// The local stack's demo tenant and its API key, made through the admin API once and kept in a
// file (mode 600): run by `bash deploy/verdict.sh start`, idempotently. A kept key that no longer
// works (its Redis was emptied, or it was revoked) is replaced.
//
//   node deploy/local-tenant.mjs <api url> <admin key> <key file> [tenant id]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [url, adminKey, keyFile, tenantId = 'demo'] = process.argv.slice(2);
if (!url || !adminKey || !keyFile) {
  console.error('usage: node deploy/local-tenant.mjs <api url> <admin key> <key file> [tenant id]');
  process.exit(2);
}

async function call(method, path, key, body) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

async function main() {
  const kept = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
  if (kept && (await call('GET', '/v1/languages', kept)).status === 200) return kept;
  const tenant = await call('POST', '/v1/admin/tenants', adminKey, { id: tenantId, name: 'Local demo' });
  if (tenant.status !== 201 && tenant.status !== 409) throw new Error(`creating tenant ${tenantId}: ${tenant.status} ${JSON.stringify(tenant.body)}`);
  const made = await call('POST', `/v1/admin/tenants/${tenantId}/keys`, adminKey, { scopes: ['submit', 'read', 'problems:write'], name: 'local demo' });
  if (made.status !== 201) throw new Error(`creating a key of ${tenantId}: ${made.status} ${JSON.stringify(made.body)}`);
  writeFileSync(keyFile, `${made.body.key}\n`, { mode: 0o600 });
  return made.body.key;
}

main()
  .then((key) => console.log(key))
  .catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
