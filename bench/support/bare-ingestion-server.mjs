// The ingestion baseline: a bare node:http server that does, per POST /v1/submissions, the Redis
// writes the API does to accept a submission, through the same client settings (the key's
// rate-limit count; the record's hash with its expiry and its indexes, by the submission store's own
// script; the judge job staged in its tenant's queue with the same options, admission control's
// bounds and the hand-out that follows, by the fair queue's own script), and nothing else: no
// framework, no key check, no validation, no policy. What the API takes beyond this is the
// framework's and the product's share.
import Redis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One source for the scripts: the *.lua.ts files are plain JavaScript but for their exports. */
function scripts(file, names) {
  const source = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../..', file), 'utf8');
  return new Function(`${source.replaceAll('export const', 'const')}\nreturn { ${names.join(', ')} };`)();
}
const LUA = scripts('libs/job-queues/src/fair-queue.lua.ts', ['STAGE_AND_TAKE_LUA']);
const { STORE_NEW_SUBMISSIONS_LUA } = scripts('libs/submissions/src/store-new-submissions.lua.ts', ['STORE_NEW_SUBMISSIONS_LUA']);

const prefix = `{${process.env.VERDICT_KEY_PREFIX}}`;
const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const connection = { host: url.hostname, port: Number(url.port || 6379) };
// As the API's client (libs/redis): commands of the same tick share a socket write.
const redis = new Redis({ ...connection, enableAutoPipelining: true });
const bull = `${prefix}:submissions`;
const fair = `${bull}:fair`;
for (const [name, lua] of Object.entries(LUA)) redis.defineCommand(name, { numberOfKeys: 1, lua });
redis.defineCommand('storeNewSubmissions', { lua: STORE_NEW_SUBMISSIONS_LUA });
const RETENTION_S = 7 * 24 * 3600;

// rate-limiter-flexible's script (RateLimiterRedis), as the API's RateLimitGuard runs it per request.
redis.defineCommand('countRequest', {
  numberOfKeys: 1,
  lua: `redis.call('set', KEYS[1], 0, 'EX', ARGV[2], 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then redis.call('expire', KEYS[1], ARGV[2]) ttl = 1000 * ARGV[2] end
return {consumed, ttl}`,
});

async function accept(request) {
  await redis.countRequest(`${prefix}:rate-limit:api-key:bench000`, 1, 60);
  const id = randomUUID();
  const traceId = randomBytes(16).toString('hex');
  const key = `${prefix}:submission:${id}`;
  const limits = { cpuTimeMs: 2000, wallTimeMs: 5000, memoryMb: 256, outputKb: 1024 };
  const createdAt = new Date();
  const fields = {
    id, status: 'queued', language: request.language, traceId, createdAt: createdAt.toISOString(),
    limits: JSON.stringify(limits), limitMultipliers: 'null', problem: 'null', testCount: String(request.tests.length),
    disclosure: 'null', request: JSON.stringify({ source: request.source, tests: request.tests }), judging: '1', tenantId: 'bench',
  };
  const keys = [`${prefix}:open-submissions`, `${prefix}:submissions`, key, `${prefix}:tenant:bench:submissions`];
  await redis.storeNewSubmissions(keys.length, ...keys, Date.now(), RETENTION_S, '', id, createdAt.getTime(), 1, 0, Object.keys(fields).length, ...Object.entries(fields).flat());
  const data = { submissionId: id, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, language: request.language, source: request.source, lane: 'live', tenantId: 'bench', tests: request.tests, limits };
  const opts = { jobId: id, attempts: 4, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 86400, count: 100000 }, removeOnFail: { age: 86400, count: 100000 } };
  const entry = JSON.stringify({ id, lane: 'live', group: 'bench', name: 'judge', data, opts });
  await redis.STAGE_AND_TAKE_LUA(fair, bull, Date.now(), 0, 200, '{}', '["live","contest","practice","rejudge"]', 'bench', 1e6, 1e7, 1, 'live', 'bench', id, entry);
  return { id, status: 'queued', traceId };
}

createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/v1/health') return void res.writeHead(200).end('ok');
  if (req.method !== 'POST' || req.url !== '/v1/submissions') return void res.writeHead(404).end();
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    accept(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      .then((body) => res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify(body)))
      .catch((error) => res.writeHead(500).end(String(error)));
  });
}).listen(Number(process.env.API_PORT), '127.0.0.1');
