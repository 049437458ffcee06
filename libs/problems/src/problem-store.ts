import { Inject, Injectable } from '@nestjs/common';
import { ProblemsConfig } from '@verdict/config';
import { DEFAULT_FEEDBACK_LEVEL } from '@verdict/contracts';
import { REDIS, RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';
import { ProblemExistsError, ProblemNotFoundError } from './problem-errors';
import { ProblemAccess } from './problem-access';
import { Difficulty, ProblemDraft, ProblemVersion } from './problem-version';

/** One line of GET /v1/problems. */
export interface ProblemSummary extends ProblemAccess {
  id: string;
  title: string;
  tags: string[];
  difficulty: Difficulty | null;
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
}

/** Whose problems a listing shows: all of them (an admin), or a tenant's own and the shared ones. */
export type ProblemListScope = 'all' | { tenantId: string | null };

/**
 * Commits a version: its test data must all be there (it is made persistent and referenced by the
 * problem), then the version and the problem's metadata are written. One script, so a version never
 * points at data that could expire, and two uploads cannot both become version n.
 * The owner is written once, by the create; a version added keeps it, and is only added to the
 * problem whose owner the caller checked (not to another created under the same id since).
 * KEYS: problem, version, problem data set, index, then (data, refs) per hash, then (creating a
 * tenant's problem) the tenant's problem index.
 * ARGV: mode, id, version, version JSON, title, tags JSON, difficulty JSON, now ISO, now ms, owner
 * tenant id ('' for an admin's problem), hashes...
 */
const COMMIT_VERSION_LUA = `
local mode = ARGV[1]
local exists = redis.call('EXISTS', KEYS[1]) == 1
if mode == 'create' and exists then return {'exists'} end
if mode == 'append' then
  if not exists then return {'missing'} end
  if (redis.call('HGET', KEYS[1], 'ownerTenantId') or '') ~= ARGV[10] then return {'missing'} end
  if tonumber(redis.call('HGET', KEYS[1], 'latestVersion')) + 1 ~= tonumber(ARGV[3]) then return {'conflict'} end
end
local count = #ARGV - 10
local missing = {'data-missing'}
for i = 1, count do
  if redis.call('EXISTS', KEYS[3 + 2 * i]) == 0 then missing[#missing + 1] = ARGV[10 + i] end
end
if #missing > 1 then return missing end
for i = 1, count do
  redis.call('PERSIST', KEYS[3 + 2 * i])
  redis.call('SADD', KEYS[4 + 2 * i], ARGV[2])
  redis.call('SADD', KEYS[3], ARGV[10 + i])
end
redis.call('SET', KEYS[2], ARGV[4])
redis.call('HSET', KEYS[1], 'id', ARGV[2], 'latestVersion', ARGV[3], 'title', ARGV[5], 'tags', ARGV[6], 'difficulty', ARGV[7], 'updatedAt', ARGV[8])
if mode == 'create' then
  redis.call('HSET', KEYS[1], 'createdAt', ARGV[8], 'ownerTenantId', ARGV[10], 'shared', '0')
  redis.call('ZADD', KEYS[4], ARGV[9], ARGV[2])
  if ARGV[10] ~= '' then redis.call('ZADD', KEYS[5 + 2 * count], ARGV[9], ARGV[2]) end
end
return {'ok'}
`;

/**
 * Deletes a problem and its versions. Data it referenced is released: what no other problem
 * references expires after PROBLEM_UNREFERENCED_DATA_TTL_SECONDS (queued submissions still judge).
 * Only the problem whose owner the caller checked is deleted (not another created under the same id since).
 * KEYS: problem, problem data set, index, shared index, the version keys, then (data, refs) per
 * hash, then (a tenant's problem) the tenant's problem index.
 * ARGV: id, latest version, data count, ttl, owner tenant id ('' for an admin's problem).
 */
const DELETE_PROBLEM_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
if (redis.call('HGET', KEYS[1], 'ownerTenantId') or '') ~= ARGV[5] then return 'missing' end
local versions = tonumber(ARGV[2])
local count = tonumber(ARGV[3])
if tonumber(redis.call('HGET', KEYS[1], 'latestVersion')) ~= versions or redis.call('SCARD', KEYS[2]) ~= count then return 'conflict' end
for i = 1, versions do redis.call('DEL', KEYS[4 + i]) end
for k = 5 + versions, 4 + versions + 2 * count, 2 do
  redis.call('SREM', KEYS[k + 1], ARGV[1])
  if redis.call('SCARD', KEYS[k + 1]) == 0 then redis.call('EXPIRE', KEYS[k], ARGV[4]) end
end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
if ARGV[5] ~= '' then redis.call('ZREM', KEYS[5 + versions + 2 * count], ARGV[1]) end
return 'deleted'
`;

/**
 * Shares a problem read-only with every tenant, or stops sharing it. 0 when there is no such problem.
 * KEYS: problem, index, shared index. ARGV: id, '1' (share) or '0'.
 */
const SET_PROBLEM_SHARING_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'shared', ARGV[2])
if ARGV[2] == '1' then
  redis.call('ZADD', KEYS[3], redis.call('ZSCORE', KEYS[2], ARGV[1]) or 0, ARGV[1])
else
  redis.call('ZREM', KEYS[3], ARGV[1])
end
return 1
`;

/**
 * One page of the union of problem indexes (a tenant's own and the shared ones), in creation order:
 * the count, then the ids. KEYS: the indexes. ARGV: offset, limit.
 */
const LIST_PROBLEMS_LUA = `
local all = redis.call('ZUNION', #KEYS, unpack(KEYS))
local page = {#all}
for i = tonumber(ARGV[1]) + 1, math.min(#all, tonumber(ARGV[1]) + tonumber(ARGV[2])) do page[#page + 1] = all[i] end
return page
`;

type RedisWithScripts = Redis & {
  commitProblemVersion(...keysAndArgs: (string | number)[]): Promise<string[]>;
  deleteProblem(...keysAndArgs: (string | number)[]): Promise<'missing' | 'conflict' | 'deleted'>;
  setProblemSharing(...keysAndArgs: (string | number)[]): Promise<0 | 1>;
  listProblems(...keysAndArgs: (string | number)[]): Promise<[number, ...string[]]>;
};

/** Races (two uploads, an upload and a delete) are retried this often before giving up. */
const COMMIT_TRIES = 5;

/**
 * Problems in Redis: a metadata hash per problem, one immutable JSON document per version, and the
 * test data by SHA-256, stored once however many versions and problems use it.
 */
@Injectable()
export class ProblemStore {
  private readonly redis: RedisWithScripts;

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly keys: RedisKeys,
    private readonly config: ProblemsConfig,
  ) {
    if (!('commitProblemVersion' in redis)) redis.defineCommand('commitProblemVersion', { lua: COMMIT_VERSION_LUA });
    if (!('deleteProblem' in redis)) redis.defineCommand('deleteProblem', { lua: DELETE_PROBLEM_LUA });
    if (!('setProblemSharing' in redis)) redis.defineCommand('setProblemSharing', { lua: SET_PROBLEM_SHARING_LUA });
    if (!('listProblems' in redis)) redis.defineCommand('listProblems', { lua: LIST_PROBLEMS_LUA });
    this.redis = redis as RedisWithScripts;
  }

  /** Creates problem `id` with `draft` as version 1, owned by `ownerTenantId` (null: an admin's), not shared. Ids are global: a taken id is refused whoever owns it. */
  async create(id: string, draft: ProblemDraft, data: ReadonlyMap<string, Buffer>, ownerTenantId: string | null): Promise<ProblemVersion> {
    return this.commit('create', id, draft, data, ownerTenantId, async () => 1);
  }

  /**
   * Adds `draft` as the problem's next version, which keeps the problem's owner. `ownerTenantId` is
   * the owner the caller checked: a problem with another (deleted and created again since) is not
   * found.
   */
  async addVersion(id: string, draft: ProblemDraft, data: ReadonlyMap<string, Buffer>, ownerTenantId: string | null): Promise<ProblemVersion> {
    return this.commit('append', id, draft, data, ownerTenantId, async () => {
      const latest = await this.redis.hget(this.keys.problem(id), 'latestVersion');
      if (latest === null) throw new ProblemNotFoundError(`problem "${id}" not found`);
      return Number(latest) + 1;
    });
  }

  private async commit(
    mode: 'create' | 'append',
    id: string,
    draft: ProblemDraft,
    data: ReadonlyMap<string, Buffer>,
    ownerTenantId: string | null,
    nextVersion: () => Promise<number>,
  ): Promise<ProblemVersion> {
    const hashes = [...data.keys()];
    await this.storeData(data, hashes);
    for (let attempt = 1; ; attempt++) {
      const n = await nextVersion();
      const { requestedId: _requested, ...content } = draft;
      const version: ProblemVersion = { id, version: n, createdAt: new Date().toISOString(), ...content };
      const keys = [this.keys.problem(id), this.keys.problemVersion(id, n), this.keys.problemData(id), this.keys.problemIndex];
      for (const sha of hashes) keys.push(this.keys.testData(sha), this.keys.testDataRefs(sha));
      if (mode === 'create' && ownerTenantId !== null) keys.push(this.keys.tenantProblems(ownerTenantId));
      const [outcome, ...missing] = await this.redis.commitProblemVersion(
        keys.length,
        ...keys,
        mode,
        id,
        n,
        JSON.stringify(version),
        version.title,
        JSON.stringify(version.tags),
        JSON.stringify(version.difficulty),
        version.createdAt,
        Date.now(),
        ownerTenantId ?? '',
        ...hashes,
      );
      if (outcome === 'ok') return version;
      if (outcome === 'exists') throw new ProblemExistsError(`problem "${id}" already exists; add a version with POST /v1/problems/${id}/versions`);
      if (outcome === 'missing') throw new ProblemNotFoundError(`problem "${id}" not found`);
      if (attempt >= COMMIT_TRIES) throw new Error(`problem "${id}": could not commit version ${n} after ${attempt} tries (${outcome})`);
      // Lost a race: unreferenced data expired between storing and committing, or another version won.
      if (outcome === 'data-missing') await this.storeData(data, missing);
    }
  }

  /**
   * Stores what is not there yet. New data expires unless a commit references it, so an upload that
   * fails half-way leaves nothing behind for long.
   */
  private async storeData(data: ReadonlyMap<string, Buffer>, hashes: string[]): Promise<void> {
    const present = await Promise.all(hashes.map((sha) => this.redis.exists(this.keys.testData(sha))));
    for (const [i, sha] of hashes.entries()) {
      if (present[i] === 1) continue;
      await this.redis.set(this.keys.testData(sha), data.get(sha)!, 'EX', this.config.PROBLEM_UNREFERENCED_DATA_TTL_SECONDS, 'NX');
    }
  }

  /** A version (the latest when `version` is absent), or null when the problem or that version does not exist. */
  async getVersion(id: string, version?: number): Promise<ProblemVersion | null> {
    const n = version ?? Number(await this.redis.hget(this.keys.problem(id), 'latestVersion'));
    if (!n) return null;
    const raw = await this.redis.get(this.keys.problemVersion(id, n));
    if (raw === null) return null;
    // Versions stored before feedback levels existed get the default, like a package that names none.
    const stored = JSON.parse(raw) as ProblemVersion;
    return { ...stored, feedback: stored.feedback ?? DEFAULT_FEEDBACK_LEVEL };
  }

  async summary(id: string): Promise<ProblemSummary | null> {
    const hash = await this.redis.hgetall(this.keys.problem(id));
    return hash.id ? summaryOf(hash) : null;
  }

  /** Who owns the problem and whether it is shared (one read); null when there is no such problem. */
  async access(id: string): Promise<ProblemAccess | null> {
    const [exists, owner, shared] = await this.redis.hmget(this.keys.problem(id), 'id', 'ownerTenantId', 'shared');
    return exists ? accessOf(owner, shared) : null;
  }

  /** Shares the problem read-only with every tenant, or stops; false when there is no such problem. */
  async setShared(id: string, shared: boolean): Promise<boolean> {
    const keys = [this.keys.problem(id), this.keys.problemIndex, this.keys.sharedProblemIndex];
    return (await this.redis.setProblemSharing(keys.length, ...keys, id, shared ? '1' : '0')) === 1;
  }

  /** Problems in the order they were created: all of them, or a tenant's own and the shared ones. */
  async list(offset: number, limit: number, scope: ProblemListScope): Promise<{ total: number; problems: ProblemSummary[] }> {
    let ids: string[];
    let total: number;
    if (scope === 'all') {
      [ids, total] = await Promise.all([this.redis.zrange(this.keys.problemIndex, offset, offset + limit - 1), this.redis.zcard(this.keys.problemIndex)]);
    } else {
      const keys = [...(scope.tenantId === null ? [] : [this.keys.tenantProblems(scope.tenantId)]), this.keys.sharedProblemIndex];
      [total, ...ids] = await this.redis.listProblems(keys.length, ...keys, offset, limit);
    }
    const hashes = await Promise.all(ids.map((id) => this.redis.hgetall(this.keys.problem(id))));
    return { total, problems: hashes.filter((hash) => hash.id).map(summaryOf) };
  }

  /**
   * Deletes the problem and every version; false when there was no such problem. `ownerTenantId` is
   * the owner the caller checked: a problem with another (deleted and created again since) is not
   * deleted, and counts as not found.
   */
  async delete(id: string, ownerTenantId: string | null): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const [[latest, owner], hashes] = await Promise.all([
        this.redis.hmget(this.keys.problem(id), 'latestVersion', 'ownerTenantId'),
        this.redis.smembers(this.keys.problemData(id)),
      ]);
      if (latest === null || (owner || null) !== ownerTenantId) return false;
      const versions = Number(latest);
      const keys = [this.keys.problem(id), this.keys.problemData(id), this.keys.problemIndex, this.keys.sharedProblemIndex];
      for (let n = 1; n <= versions; n++) keys.push(this.keys.problemVersion(id, n));
      for (const sha of hashes) keys.push(this.keys.testData(sha), this.keys.testDataRefs(sha));
      if (ownerTenantId !== null) keys.push(this.keys.tenantProblems(ownerTenantId));
      const outcome = await this.redis.deleteProblem(
        keys.length,
        ...keys,
        id,
        versions,
        hashes.length,
        this.config.PROBLEM_UNREFERENCED_DATA_TTL_SECONDS,
        ownerTenantId ?? '',
      );
      if (outcome !== 'conflict') return outcome === 'deleted';
      if (attempt >= COMMIT_TRIES) throw new Error(`problem "${id}": could not delete it after ${attempt} tries (versions kept being added)`);
    }
  }
}

/** Problems stored before problems had owners have no owner field: an admin's, not shared. */
function accessOf(owner: string | null | undefined, shared: string | null | undefined): ProblemAccess {
  return { ownerTenantId: owner || null, shared: shared === '1' };
}

function summaryOf(hash: Record<string, string>): ProblemSummary {
  return {
    id: hash.id,
    title: hash.title,
    tags: JSON.parse(hash.tags) as string[],
    difficulty: JSON.parse(hash.difficulty) as Difficulty | null,
    latestVersion: Number(hash.latestVersion),
    createdAt: hash.createdAt,
    updatedAt: hash.updatedAt,
    ...accessOf(hash.ownerTenantId, hash.shared),
  };
}
