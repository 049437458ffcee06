import type { JudgeQueueCensus } from '@verdict/metrics';
import { JobsOptions, Queue } from 'bullmq';
import Redis from 'ioredis';
import { BACKLOG_LUA, CENSUS_LUA, CONFIRM_LUA, RECOVER_LUA, REMOVE_LUA, SLOTS_LUA, STAGE_AND_TAKE_LUA, TAKE_LUA } from './fair-queue.lua';

/** A job waiting its turn: what BullMQ will be given, and whose and which lane's it is. */
export interface FairEntry {
  id: string;
  lane: string;
  group: string;
  name: string;
  data: object;
  opts: JobsOptions;
}

/** What is waiting, for admission control: a group's pending jobs, everyone's, and the recent drain. */
export interface FairBacklog {
  group: number;
  total: number;
  /** Jobs handed to workers per second over the last complete minute. */
  drainedPerSecond: number;
}

/** Admission control's bounds on jobs waiting their turn: one group's, and everyone's together. */
export interface BacklogBound {
  groupMost: number;
  totalMost: number;
}

/** Staging refused by a BacklogBound (nothing was staged): which bound, and the backlog it saw. */
export class BacklogBoundError extends Error {
  constructor(
    readonly bound: 'group' | 'total',
    readonly backlog: { group: number; total: number },
    readonly count: number,
  ) {
    super(`${count} more job(s) would pass the ${bound} backlog bound (group ${backlog.group} waiting, all groups ${backlog.total})`);
  }
}

/** How the workers' free slots are shared out (`JudgeQueueConfig`'s fair-share settings). */
export interface FairSharePolicy {
  /** Jobs per turn of a group; groups not named take 1. */
  weights: Record<string, number>;
  lookahead: number;
}

type FairCommands = {
  verdictFairStageAndTake(base: string, ...args: (string | number)[]): Promise<string[]>;
  verdictFairTake(base: string, ...args: (string | number)[]): Promise<string[]>;
  verdictFairConfirm(base: string, ...ids: string[]): Promise<number>;
  verdictFairRecover(base: string, bull: string, now: number, before: number): Promise<string[]>;
  verdictFairRemove(base: string, id: string): Promise<number>;
  verdictFairSlots(base: string, worker: string, slots: number, until: number): Promise<number>;
  verdictFairBacklog(base: string, group: string, now: number): Promise<[number, number, number]>;
  verdictFairCensus(base: string, bull: string, now: number): Promise<[lanes: string[], pending: number, dispatching: number, wait: number, prioritized: number, active: number, delayed: number, paused: number, failed: number, slots: number, oldest: number]>;
};

const COMMANDS: Record<keyof FairCommands, string> = {
  verdictFairStageAndTake: STAGE_AND_TAKE_LUA,
  verdictFairTake: TAKE_LUA,
  verdictFairConfirm: CONFIRM_LUA,
  verdictFairRecover: RECOVER_LUA,
  verdictFairRemove: REMOVE_LUA,
  verdictFairSlots: SLOTS_LUA,
  verdictFairBacklog: BACKLOG_LUA,
  verdictFairCensus: CENSUS_LUA,
};

/** Jobs per stage script: one script call blocks Redis, so a 10,000-job batch goes in slices. */
const STAGE_CHUNK = 500;

/**
 * The tenants' queues in front of one BullMQ queue: jobs wait here, per lane and group, until
 * `take` hands them out as the workers free slots (the moves are the scripts of fair-queue.lua.ts).
 * Keys sit under the BullMQ queue's name, so on a Redis Cluster they share its slot.
 */
export class FairQueue {
  private readonly base: string;
  private readonly lanesJson: string;
  private client: Promise<Redis & FairCommands> | null = null;

  constructor(private readonly queue: Queue, lanes: readonly string[]) {
    this.base = `${queue.qualifiedName}:fair`;
    this.lanesJson = JSON.stringify(lanes);
  }

  private redis(): Promise<Redis & FairCommands> {
    this.client ??= this.queue.client.then((client) => {
      const redis = client as unknown as Redis;
      for (const [name, lua] of Object.entries(COMMANDS)) if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
      return redis as Redis & FairCommands;
    });
    return this.client;
  }

  /**
   * Adds entries at the back of their groups' lists (ids already pending, being handed out or in
   * BullMQ are skipped), then takes as `take` does, in one call per slice: what the slices took.
   * With a bound, the first slice checks it for all the entries (their group: the first entry's)
   * before staging anything, and a refusal throws BacklogBoundError. Each job's BullMQ timestamp is
   * its staging time (`now`), so its age counts from acceptance wherever it waits (`census`).
   */
  async stageAndTake(entries: FairEntry[], most: number, policy: FairSharePolicy, bound?: BacklogBound, now = Date.now()): Promise<FairEntry[]> {
    const redis = await this.redis();
    const taken: FairEntry[] = [];
    for (let start = 0; start < entries.length; start += STAGE_CHUNK) {
      const checked = bound && start === 0 ? [entries[0].group, bound.groupMost, bound.totalMost, entries.length] : ['', 0, 0, 0];
      const args = entries.slice(start, start + STAGE_CHUNK).flatMap((e) => [e.lane, e.group, e.id, JSON.stringify({ ...e, opts: { ...e.opts, timestamp: e.opts.timestamp ?? now } })]);
      const slice = await redis.verdictFairStageAndTake(this.base, this.queue.qualifiedName, now, policy.lookahead, most, JSON.stringify(policy.weights), this.lanesJson, ...checked, ...args);
      if (slice[0] === 'refused') throw new BacklogBoundError(slice[1] as 'group' | 'total', { group: Number(slice[2]), total: Number(slice[3]) }, entries.length);
      taken.push(...slice.map((entry) => JSON.parse(entry) as FairEntry));
    }
    return taken;
  }

  /** Up to `most` entries, as many as the live workers' free slots allow, in lane and turn order; each stays marked as being handed out until `confirm`. */
  async take(most: number, policy: FairSharePolicy, now = Date.now()): Promise<FairEntry[]> {
    const redis = await this.redis();
    const taken = await redis.verdictFairTake(this.base, this.queue.qualifiedName, now, policy.lookahead, most, JSON.stringify(policy.weights), this.lanesJson);
    return taken.map((entry) => JSON.parse(entry) as FairEntry);
  }

  /** The jobs of these ids are in BullMQ now. */
  async confirm(ids: string[]): Promise<void> {
    if (ids.length > 0) await (await this.redis()).verdictFairConfirm(this.base, ...ids);
  }

  /** Entries taken before `before` and never confirmed (a hand-over that died): those whose job is not in BullMQ, to add again. */
  async recover(before: number, now = Date.now()): Promise<FairEntry[]> {
    const again = await (await this.redis()).verdictFairRecover(this.base, this.queue.qualifiedName, now, before);
    return again.map((entry) => JSON.parse(entry) as FairEntry);
  }

  /** Removes a job still waiting its turn; false when it is not (handed out, or never here). */
  async remove(id: string): Promise<boolean> {
    return (await (await this.redis()).verdictFairRemove(this.base, id)) === 1;
  }

  /** Whether the job waits here or is being handed out (not yet visible in BullMQ). */
  async holds(id: string): Promise<boolean> {
    const redis = await this.redis();
    const [pending, dispatching] = await Promise.all([redis.hexists(`${this.base}:pending`, id), redis.hexists(`${this.base}:dispatching`, id)]);
    return pending === 1 || dispatching === 1;
  }

  /** A worker's slots count until `until` (ms since the epoch); 0 slots withdraws them. */
  async setSlots(worker: string, slots: number, until: number): Promise<void> {
    await (await this.redis()).verdictFairSlots(this.base, worker, slots, until);
  }

  async backlog(group: string, now = Date.now()): Promise<FairBacklog> {
    const [forGroup, total, drained] = await (await this.redis()).verdictFairBacklog(this.base, group, now);
    return { group: forGroup, total, drainedPerSecond: drained / 60 };
  }

  /**
   * The queue's gauges (@verdict/metrics' JudgeQueueCensus) in one script call: jobs waiting their
   * turn by lane, being handed out, BullMQ's by state, every job not yet taken by a worker and when
   * the oldest of them was staged, the live workers' slots.
   */
  async census(now = Date.now()): Promise<JudgeQueueCensus> {
    const [lanes, pending, dispatching, wait, prioritized, active, delayed, paused, failed, workerSlots, oldest] = await (await this.redis()).verdictFairCensus(
      this.base,
      this.queue.qualifiedName,
      now,
    );
    const byLane: Record<string, number> = {};
    for (let i = 0; i + 1 < lanes.length; i += 2) byLane[lanes[i]] = Number(lanes[i + 1]);
    return {
      lanes: byLane,
      dispatching,
      states: { wait, prioritized, active, delayed, paused, failed },
      waiting: pending + dispatching + wait + prioritized + paused,
      oldestAcceptedAt: oldest < 0 ? null : oldest,
      workerSlots,
    };
  }
}
