/**
 * Applies one result event to a submission hash, atomically and idempotently (Redis Lua, run with
 * EVALSHA through ioredis's defineCommand). Kept as a string so the bundled apps carry it.
 */
export const APPLY_RESULT_EVENT_LUA = `
-- Applies one result event to a submission hash, atomically and idempotently.
-- KEYS[1]  submission hash
-- ARGV[1]  status the event implies (running | completed | failed)
-- ARGV[2]  JSON object of fields to overwrite
-- ARGV[3]  JSON object of fields to set only if absent (progress: the first delivery wins)
-- ARGV[4]  retention in seconds, renewed when the submission reaches a terminal status
-- ARGV[5]  prefix of the per-test fields
-- ARGV[6]  a field of ARGV[3] whose first write is reported (a running event's startedAt), or ''
-- Returns 'applied', 'stale' (the submission is already past this event) or 'missing'; when this
-- call first wrote ARGV[6], { 'applied', language, queuedAt (a rejudge's, ms; '' for the first
-- judging), createdAt }: what the judging's wait is measured from.
-- cancelled is terminal like the others: a worker that took the job before it was removed reports into nothing.
local rank = { queued = 0, running = 1, completed = 2, failed = 2, cancelled = 2 }
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return 'missing' end
local now, next = rank[current], rank[ARGV[1]]
if now == nil or next == nil then return redis.error_reply('unknown status ' .. tostring(current) .. ' -> ' .. tostring(ARGV[1])) end
-- Terminal is final: a redelivered or late event never reopens a finished submission.
if now == 2 or next < now then return 'stale' end
local set = cjson.decode(ARGV[2])
-- A final event carries every test judged: progress of tests it lacks came from an earlier try
-- (a sandbox lost mid-run, a job retried) and must not show in the result.
if next == 2 then
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    if string.sub(field, 1, #ARGV[5]) == ARGV[5] and set[field] == nil then redis.call('HDEL', KEYS[1], field) end
  end
end
for field, value in pairs(set) do redis.call('HSET', KEYS[1], field, value) end
local first = false
for field, value in pairs(cjson.decode(ARGV[3])) do
  if redis.call('HSETNX', KEYS[1], field, value) == 1 and field == ARGV[6] then first = true end
end
redis.call('HSET', KEYS[1], 'status', ARGV[1])
if next == 2 then redis.call('EXPIRE', KEYS[1], ARGV[4]) end
if first then
  local f = redis.call('HMGET', KEYS[1], 'language', 'queuedAt', 'createdAt')
  return { 'applied', f[1] or '', f[2] or '', f[3] or '' }
end
return 'applied'
`;
