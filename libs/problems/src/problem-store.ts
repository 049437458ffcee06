import { Inject, Injectable } from '@nestjs/common';
import { ProblemsConfig } from '@verdict/config';
import { DEFAULT_FEEDBACK_LEVEL } from '@verdict/contracts';
import { REDIS, RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';
import { ProblemExistsError, ProblemNotFoundError } from './problem-errors';
import { Difficulty, ProblemDraft, ProblemVersion } from './problem-version';

/** One line of GET /v1/problems. */
export interface ProblemSummary {
  id: string;
  title: string;
  tags: string[];
  difficulty: Difficulty | null;
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * Commits a version: its test data must all be there (it is made persistent and referenced by the
 * problem), then the version and the problem's metadata are written. One script, so a version never
 * points at data that could expire, and two uploads cannot both become version n.
 * KEYS: problem, version, problem data set, index, then (data, refs) per hash.
 * ARGV: mode, id, version, version JSON, title, tags JSON, difficulty JSON, now ISO, now ms, hashes...
 */
const COMMIT_VERSION_LUA = `
local mode = ARGV[1]
local exists = redis.call('EXISTS', KEYS[1]) == 1
if mode == 'create' and exists then return {'exists'} end
if mode == 'append' then
  if not exists then return {'missing'} end
  if tonumber(redis.call('HGET', KEYS[1], 'latestVersion')) + 1 ~= tonumber(ARGV[3]) then return {'conflict'} end
end
local count = (#KEYS - 4) / 2
local missing = {'data-missing'}
for i = 1, count do
  if redis.call('EXISTS', KEYS[3 + 2 * i]) == 0 then missing[#missing + 1] = ARGV[9 + i] end
end
if #missing > 1 then return missing end
for i = 1, count do
  redis.call('PERSIST', KEYS[3 + 2 * i])
  redis.call('SADD', KEYS[4 + 2 * i], ARGV[2])
  redis.call('SADD', KEYS[3], ARGV[9 + i])
end
redis.call('SET', KEYS[2], ARGV[4])
redis.call('HSET', KEYS[1], 'id', ARGV[2], 'latestVersion', ARGV[3], 'title', ARGV[5], 'tags', ARGV[6], 'difficulty', ARGV[7], 'updatedAt', ARGV[8])
if mode == 'create' then
  redis.call('HSET', KEYS[1], 'createdAt', ARGV[8])
  redis.call('ZADD', KEYS[4], ARGV[9], ARGV[2])
end
return {'ok'}
`;

/**
 * Deletes a problem and its versions. Data it referenced is released: what no other problem
 * references expires after PROBLEM_UNREFERENCED_DATA_TTL_SECONDS (queued submissions still judge).
 * KEYS: problem, problem data set, index, the version keys, then (data, refs) per hash.
 * ARGV: id, latest version, data count, ttl.
 */
const DELETE_PROBLEM_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
local versions = tonumber(ARGV[2])
if tonumber(redis.call('HGET', KEYS[1], 'latestVersion')) ~= versions or redis.call('SCARD', KEYS[2]) ~= tonumber(ARGV[3]) then return 'conflict' end
for i = 1, versions do redis.call('DEL', KEYS[3 + i]) end
for k = 4 + versions, #KEYS, 2 do
  redis.call('SREM', KEYS[k + 1], ARGV[1])
  if redis.call('SCARD', KEYS[k + 1]) == 0 then redis.call('EXPIRE', KEYS[k], ARGV[4]) end
end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
return 'deleted'
`;

type RedisWithScripts = Redis & {
  commitProblemVersion(...keysAndArgs: (string | number)[]): Promise<string[]>;
  deleteProblem(...keysAndArgs: (string | number)[]): Promise<'missing' | 'conflict' | 'deleted'>;
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
    this.redis = redis as RedisWithScripts;
  }

  /** Creates problem `id` with `draft` as version 1. */
  async create(id: string, draft: ProblemDraft, data: ReadonlyMap<string, Buffer>): Promise<ProblemVersion> {
    return this.commit('create', id, draft, data, async () => 1);
  }

  /** Adds `draft` as the problem's next version. */
  async addVersion(id: string, draft: ProblemDraft, data: ReadonlyMap<string, Buffer>): Promise<ProblemVersion> {
    return this.commit('append', id, draft, data, async () => {
      const latest = await this.redis.hget(this.keys.problem(id), 'latestVersion');
      if (latest === null) throw new ProblemNotFoundError(`problem "${id}" not found`);
      return Number(latest) + 1;
    });
  }

  private async commit(mode: 'create' | 'append', id: string, draft: ProblemDraft, data: ReadonlyMap<string, Buffer>, nextVersion: () => Promise<number>): Promise<ProblemVersion> {
    const hashes = [...data.keys()];
    await this.storeData(data, hashes);
    for (let attempt = 1; ; attempt++) {
      const n = await nextVersion();
      const { requestedId: _requested, ...content } = draft;
      const version: ProblemVersion = { id, version: n, createdAt: new Date().toISOString(), ...content };
      const keys = [this.keys.problem(id), this.keys.problemVersion(id, n), this.keys.problemData(id), this.keys.problemIndex];
      for (const sha of hashes) keys.push(this.keys.testData(sha), this.keys.testDataRefs(sha));
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

  /** Problems in the order they were created. */
  async list(offset: number, limit: number): Promise<{ total: number; problems: ProblemSummary[] }> {
    const [ids, total] = await Promise.all([this.redis.zrange(this.keys.problemIndex, offset, offset + limit - 1), this.redis.zcard(this.keys.problemIndex)]);
    const hashes = await Promise.all(ids.map((id) => this.redis.hgetall(this.keys.problem(id))));
    return { total, problems: hashes.filter((hash) => hash.id).map(summaryOf) };
  }

  /** Deletes the problem and every version; false when there was no such problem. */
  async delete(id: string): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const [latest, hashes] = await Promise.all([this.redis.hget(this.keys.problem(id), 'latestVersion'), this.redis.smembers(this.keys.problemData(id))]);
      if (latest === null) return false;
      const versions = Number(latest);
      const keys = [this.keys.problem(id), this.keys.problemData(id), this.keys.problemIndex];
      for (let n = 1; n <= versions; n++) keys.push(this.keys.problemVersion(id, n));
      for (const sha of hashes) keys.push(this.keys.testData(sha), this.keys.testDataRefs(sha));
      const outcome = await this.redis.deleteProblem(keys.length, ...keys, id, versions, hashes.length, this.config.PROBLEM_UNREFERENCED_DATA_TTL_SECONDS);
      if (outcome !== 'conflict') return outcome === 'deleted';
      if (attempt >= COMMIT_TRIES) throw new Error(`problem "${id}": could not delete it after ${attempt} tries (versions kept being added)`);
    }
  }
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
  };
}
