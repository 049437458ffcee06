/**
 * Stores new submissions, their indexes and (for one) its idempotency claim in one script: one
 * command, so the client's automatic pipelining shares its socket write with other requests' (a
 * MULTI is written on its own, and was the largest system-call cost of accepting a submission).
 *
 * KEYS[1]  open-submissions index (score: when queued)
 * KEYS[2]  all-submissions index (score: createdAt)
 * KEYS[3]  the idempotency key, when ARGV[3] is not empty
 * then, per submission: its hash, its tenant's index (if it has a tenant), its problem's index (if any)
 * ARGV[1]  now in ms (the open index's score)
 * ARGV[2]  retention in seconds
 * ARGV[3]  the idempotency claim's value ('' for none): when the key is already held, nothing is
 *          written and its value is returned
 * then, per submission: id, createdAt in ms, has tenant index (0/1), has problem index (0/1),
 *          the number of hash fields n, then n field/value pairs
 * Returns nil when stored, or the held claim's value. Lua's unpack takes some 8,000 values at most:
 * callers store at most a few thousand submissions per run.
 */
export const STORE_NEW_SUBMISSIONS_LUA = `
local now, ttl, claim = ARGV[1], ARGV[2], ARGV[3]
local k = 3
if claim ~= '' then
  local held = redis.call('GET', KEYS[3])
  if held then return held end
  redis.call('SET', KEYS[3], claim, 'EX', ttl)
  k = 4
end
local a = 4
-- Index members gathered per index key: one ZADD each, however many submissions.
local order, members = {}, {}
local function index(key, score, id)
  local list = members[key]
  if not list then
    list = {}
    members[key] = list
    order[#order + 1] = key
  end
  list[#list + 1] = score
  list[#list + 1] = id
end
while a <= #ARGV do
  local id, created, hasTenant, hasProblem, n = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], tonumber(ARGV[a + 4])
  a = a + 5
  local record = KEYS[k]
  k = k + 1
  redis.call('HSET', record, unpack(ARGV, a, a + 2 * n - 1))
  redis.call('EXPIRE', record, ttl)
  a = a + 2 * n
  index(KEYS[1], now, id)
  index(KEYS[2], created, id)
  if hasTenant == '1' then
    index(KEYS[k], created, id)
    k = k + 1
  end
  if hasProblem == '1' then
    index(KEYS[k], created, id)
    k = k + 1
  end
end
for _, key in ipairs(order) do redis.call('ZADD', key, unpack(members[key])) end
return false
`;
