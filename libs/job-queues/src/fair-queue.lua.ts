/*
 * The fair queue's moves, each one Lua script so that it is atomic. Keys live under the BullMQ
 * queue's own name (`<prefix>:<queue>:fair:...`, `<prefix>` a hash tag), so on a Redis Cluster they
 * share the queue's slot and a script may read BullMQ's lists beside its own. KEYS[1] is the base
 * (`<prefix>:<queue>:fair`) for routing; every key is derived from it, BullMQ's from ARGV[1].
 *
 * Layout under the base:
 *   :pending            hash  job id -> entry (JSON: id, lane, group, name, data, opts), not yet handed out
 *   :lane:<l>:group:<g> list  job ids of group g in lane l, oldest first (an id whose entry left :pending is skipped)
 *   :lane:<l>:ring      list  the groups of lane l with jobs, in turn order (a newly active one first); :ring-members the same as a set
 *   :lane:<l>:credits   hash  group -> jobs left in its current turn
 *   :queued             hash  group -> its pending jobs, all lanes
 *   :lanes              hash  lane -> its pending jobs (for the backlog gauge; entries staged before it existed are not counted)
 *   :waiting-since      zset  job id -> when it was staged (ms), while pending or being handed out (the oldest waiting job's age)
 *   :dispatching        hash  job id -> entry, taken and being added to BullMQ; :dispatching-since zset, when
 *   :slots              zset  worker -> until when its slots count; :slot-counts hash worker -> slots
 *   :drained:<10 s>     count of jobs handed out in that 10-second bucket (kept two minutes)
 */

/**
 * `stage(base, bull, first, now)`: the (lane, group, id, entry) quadruples of ARGV from `first` on,
 * each at the back of its group's list, staged at `now`. A job whose id is pending, being handed out
 * or in BullMQ already is left alone (the same id is never judged twice). Returns how many were new.
 */
const STAGE_FUNCTION = `
local function stage(base, bull, first, now)
  local added = 0
  for i = first, #ARGV, 4 do
    local lane, group, id, entry = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
    if redis.call('HEXISTS', base .. ':dispatching', id) == 0 and redis.call('EXISTS', bull .. ':' .. id) == 0
      and redis.call('HSETNX', base .. ':pending', id, entry) == 1 then
      local prefix = base .. ':lane:' .. lane
      redis.call('RPUSH', prefix .. ':group:' .. group, id)
      -- A group with nothing waiting until now goes first (as FQ-CoDel's new flows): a tenant sending
      -- one submission at a time waits for one free slot, not for every other tenant's turn. It
      -- gets one turn there, then goes to the back like any other.
      if redis.call('SADD', prefix .. ':ring-members', group) == 1 then redis.call('LPUSH', prefix .. ':ring', group) end
      redis.call('HINCRBY', base .. ':queued', group, 1)
      redis.call('HINCRBY', base .. ':lanes', lane, 1)
      redis.call('ZADD', base .. ':waiting-since', now, id)
      added = added + 1
    end
  end
  return added
end
`;

/**
 * `take(base, bull, now, lookahead, most, weights, lanes)`: as many entries as the live workers have
 * free slots (plus the lookahead, at most `most`), lanes highest first, groups in deficit round
 * robin within a lane (`weights`: group -> jobs per turn, 1 if absent); each moves from :pending to
 * :dispatching. Returns the entries taken.
 */
const TAKE_FUNCTION = `
local function take(base, bull, now, lookahead, most, weights, lanes)
  local dead = redis.call('ZRANGEBYSCORE', base .. ':slots', '-inf', now)
  for _, worker in ipairs(dead) do
    redis.call('ZREM', base .. ':slots', worker)
    redis.call('HDEL', base .. ':slot-counts', worker)
  end
  if redis.call('HEXISTS', bull .. ':meta', 'paused') == 1 then return {} end
  local slots = 0
  for _, count in ipairs(redis.call('HVALS', base .. ':slot-counts')) do slots = slots + tonumber(count) end
  local busy = redis.call('LLEN', bull .. ':wait') + redis.call('LLEN', bull .. ':paused') + redis.call('ZCARD', bull .. ':prioritized')
    + redis.call('LLEN', bull .. ':active') + redis.call('HLEN', base .. ':dispatching')
  local free = math.min(slots + lookahead - busy, most)
  local taken = {}
  local lane = 1
  while #taken < free and lane <= #lanes do
    local prefix = base .. ':lane:' .. lanes[lane]
    local ring = prefix .. ':ring'
    local group = redis.call('LINDEX', ring, 0)
    if not group then
      lane = lane + 1
    else
      local list = prefix .. ':group:' .. group
      local id = redis.call('LPOP', list)
      local entry = id and redis.call('HGET', base .. ':pending', id)
      local credit = nil
      if entry then
        redis.call('HDEL', base .. ':pending', id)
        redis.call('HSET', base .. ':dispatching', id, entry)
        redis.call('ZADD', base .. ':dispatching-since', now, id)
        if redis.call('HINCRBY', base .. ':queued', group, -1) <= 0 then redis.call('HDEL', base .. ':queued', group) end
        if redis.call('HINCRBY', base .. ':lanes', lanes[lane], -1) <= 0 then redis.call('HDEL', base .. ':lanes', lanes[lane]) end
        taken[#taken + 1] = entry
        credit = tonumber(redis.call('HGET', prefix .. ':credits', group) or '0')
        if credit <= 0 then credit = weights[group] or 1 end
        credit = credit - 1
      end
      if redis.call('LLEN', list) == 0 then
        redis.call('LPOP', ring)
        redis.call('SREM', prefix .. ':ring-members', group)
        redis.call('HDEL', prefix .. ':credits', group)
      elseif credit ~= nil and credit <= 0 then
        redis.call('LMOVE', ring, ring, 'LEFT', 'RIGHT')
        redis.call('HDEL', prefix .. ':credits', group)
      elseif credit ~= nil then
        redis.call('HSET', prefix .. ':credits', group, credit)
      end
    end
  end
  if #taken > 0 then
    local bucket = base .. ':drained:' .. math.floor(now / 10000)
    redis.call('INCRBY', bucket, #taken)
    redis.call('PEXPIRE', bucket, 120000)
  end
  return taken
end
`;

const TAKE_CALL = 'take(KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), cjson.decode(ARGV[5]), cjson.decode(ARGV[6]))';

/** ARGV: bull queue key, now (ms), lookahead, most to take, weights (JSON), lanes (JSON, highest first). The entries taken. */
export const TAKE_LUA = `${TAKE_FUNCTION}return ${TAKE_CALL}`;

/**
 * `over(base, group, groupMost, totalMost, count)`: admission control in the step that stages. The
 * refusal ({'refused', 'group' or 'total', the group's waiting, everyone's}) when `count` more of the
 * group's would pass a bound, else nil; `group` '' is no bound.
 */
const BOUND_FUNCTION = `
local function over(base, group, groupMost, totalMost, count)
  if group == '' then return nil end
  local waiting = tonumber(redis.call('HGET', base .. ':queued', group) or '0')
  local total = redis.call('HLEN', base .. ':pending')
  if waiting + count > groupMost then return { 'refused', 'group', waiting, total } end
  if total + count > totalMost then return { 'refused', 'total', waiting, total } end
  return nil
end
`;

/**
 * ARGV: as TAKE_LUA's, then the bound (group, its most waiting, everyone's most waiting, the count
 * being staged: `over`'s), then (lane, group, id, entry) per job: stages them unless the bound
 * refuses, then takes what the free slots allow, in one call (a producer's one round trip). The
 * entries taken, or the refusal (nothing staged).
 */
export const STAGE_AND_TAKE_LUA = `${BOUND_FUNCTION}${STAGE_FUNCTION}${TAKE_FUNCTION}
local refused = over(KEYS[1], ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10]))
if refused then return refused end
stage(KEYS[1], ARGV[1], 11, tonumber(ARGV[2]))
return ${TAKE_CALL}`;

/** ARGV: job ids now in BullMQ. */
export const CONFIRM_LUA = `
for i = 1, #ARGV do
  redis.call('HDEL', KEYS[1] .. ':dispatching', ARGV[i])
  redis.call('ZREM', KEYS[1] .. ':dispatching-since', ARGV[i])
  redis.call('ZREM', KEYS[1] .. ':waiting-since', ARGV[i])
end
return #ARGV
`;

/**
 * ARGV: bull queue key, now (ms), taken before (ms). Entries taken before then and still not
 * confirmed: a hand-over that crashed between taking and confirming. One whose job is in BullMQ
 * (its hash exists: BullMQ keeps finished jobs for JOB_RETENTION_SECONDS, far longer than a
 * hand-over) is confirmed; the others are returned, marked taken now, to be added again.
 */
export const RECOVER_LUA = `
local base, bull, now = KEYS[1], ARGV[1], tonumber(ARGV[2])
local stale = redis.call('ZRANGEBYSCORE', base .. ':dispatching-since', '-inf', ARGV[3])
local again = {}
for _, id in ipairs(stale) do
  local entry = redis.call('HGET', base .. ':dispatching', id)
  if entry and redis.call('EXISTS', bull .. ':' .. id) == 0 then
    redis.call('ZADD', base .. ':dispatching-since', now, id)
    again[#again + 1] = entry
  else
    redis.call('HDEL', base .. ':dispatching', id)
    redis.call('ZREM', base .. ':dispatching-since', id)
    redis.call('ZREM', base .. ':waiting-since', id)
  end
end
return again
`;

/** ARGV: job id. 1 when it was pending and is removed (its id in the group's list is skipped later). */
export const REMOVE_LUA = `
local entry = redis.call('HGET', KEYS[1] .. ':pending', ARGV[1])
if not entry then return 0 end
redis.call('HDEL', KEYS[1] .. ':pending', ARGV[1])
local staged = cjson.decode(entry)
if redis.call('HINCRBY', KEYS[1] .. ':queued', staged.group, -1) <= 0 then redis.call('HDEL', KEYS[1] .. ':queued', staged.group) end
if redis.call('HINCRBY', KEYS[1] .. ':lanes', staged.lane, -1) <= 0 then redis.call('HDEL', KEYS[1] .. ':lanes', staged.lane) end
redis.call('ZREM', KEYS[1] .. ':waiting-since', ARGV[1])
return 1
`;

/** ARGV: worker, slots, until (ms). Slots 0 removes the worker. */
export const SLOTS_LUA = `
if tonumber(ARGV[2]) == 0 then
  redis.call('ZREM', KEYS[1] .. ':slots', ARGV[1])
  redis.call('HDEL', KEYS[1] .. ':slot-counts', ARGV[1])
else
  redis.call('ZADD', KEYS[1] .. ':slots', ARGV[3], ARGV[1])
  redis.call('HSET', KEYS[1] .. ':slot-counts', ARGV[1], ARGV[2])
end
return 1
`;

/** ARGV: group, now (ms). [the group's pending jobs, all pending jobs, jobs handed out in the last minute]. */
export const BACKLOG_LUA = `
local base, now = KEYS[1], tonumber(ARGV[2])
local drained = 0
for bucket = math.floor(now / 10000) - 6, math.floor(now / 10000) - 1 do
  drained = drained + tonumber(redis.call('GET', base .. ':drained:' .. bucket) or '0')
end
return { tonumber(redis.call('HGET', base .. ':queued', ARGV[1]) or '0'), redis.call('HLEN', base .. ':pending'), drained }
`;

/**
 * ARGV: bull queue key, now (ms). The judge queue's gauges in one call, read-only:
 * [lanes (flat lane, count pairs), pending, dispatching, BullMQ wait, prioritized, active, delayed,
 * paused, failed, live workers' slots, when the oldest job not yet taken by a worker was staged (-1:
 * none)]. Not yet taken: pending or being handed out (:waiting-since), or in BullMQ's wait, paused
 * (oldest at the right: BullMQ pushes left, takes right) or prioritized (the first to run) lists,
 * whose jobs carry their staging time as BullMQ's own timestamp (FairQueue.stageAndTake).
 */
export const CENSUS_LUA = `
local base, bull, now = KEYS[1], ARGV[1], tonumber(ARGV[2])
local slots = 0
local live = redis.call('ZRANGEBYSCORE', base .. ':slots', '(' .. now, '+inf')
if #live > 0 then
  for _, count in ipairs(redis.call('HMGET', base .. ':slot-counts', unpack(live))) do slots = slots + (tonumber(count) or 0) end
end
local oldest = -1
local function older(at)
  at = tonumber(at)
  if at and (oldest < 0 or at < oldest) then oldest = at end
end
local first = redis.call('ZRANGE', base .. ':waiting-since', 0, 0, 'WITHSCORES')
if first[2] then older(first[2]) end
for _, list in ipairs({ ':wait', ':paused' }) do
  local id = redis.call('LINDEX', bull .. list, -1)
  if id then older(redis.call('HGET', bull .. ':' .. id, 'timestamp')) end
end
local next = redis.call('ZRANGE', bull .. ':prioritized', 0, 0)
if next[1] then older(redis.call('HGET', bull .. ':' .. next[1], 'timestamp')) end
return {
  redis.call('HGETALL', base .. ':lanes'),
  redis.call('HLEN', base .. ':pending'), redis.call('HLEN', base .. ':dispatching'),
  redis.call('LLEN', bull .. ':wait'), redis.call('ZCARD', bull .. ':prioritized'), redis.call('LLEN', bull .. ':active'),
  redis.call('ZCARD', bull .. ':delayed'), redis.call('LLEN', bull .. ':paused'), redis.call('ZCARD', bull .. ':failed'),
  slots, oldest
}
`;
