import { Logger } from '@nestjs/common';
import { RedisConfig, ResultStreamConfig, loadConfig } from '@verdict/config';
import { FinalEvent, ResultEvent, encodeResultEvent, judgeFailedEvent } from '@verdict/contracts';
import { RedisKeys } from '@verdict/redis';
import { ResultEventHandler } from './result-event-handler';
import { ResultStreamConsumer } from './result-stream.consumer';

// The consumer's pauses (a retry after a failed read, the claim interval) come from
// node:timers/promises, which Jest's fake clock does not reach: route them to the global
// setTimeout, which it does, keeping their contract (value, abort signal).
jest.mock('node:timers/promises', () => ({
  setTimeout: <T>(ms: number, value?: T, options?: { signal?: AbortSignal }) =>
    new Promise<T | undefined>((resolve, reject) => {
      const timer = setTimeout(() => resolve(value), ms);
      options?.signal?.addEventListener('abort', () => (clearTimeout(timer), reject(options.signal!.reason)), { once: true });
    }),
}));

/**
 * The result stream consumer against a small in-memory Redis stream with one consumer group: only
 * the commands the consumer sends (XGROUP CREATE, XREADGROUP, XACK, XAUTOCLAIM, XADD of dead
 * letters), with their pending-entries-list semantics. Time is Jest's fake clock.
 */

/** Fields are null for an entry trimmed from the stream while pending, as Redis replies. */
type Reply = [string, [string, string[] | null][]][] | null;

interface PendingEntry {
  consumer: string;
  deliveredAt: number;
}

const seq = (id: string) => Number(id.split('-')[0]);

class FakeStreamRedis {
  readonly entries: { id: string; fields: string[] }[] = [];
  readonly deadLetters: Record<string, string>[] = [];
  group: { name: string; lastDelivered: number; pending: Map<string, PendingEntry> } | null = null;
  readonly blocking = new FakeBlockingConnection(this);
  private next = 0;
  private wake: (() => void)[] = [];

  duplicate(): FakeBlockingConnection {
    return this.blocking;
  }

  /** What a worker's XADD does. */
  add(fields: Record<string, string>): string {
    const id = `${++this.next}-0`;
    this.entries.push({ id, fields: Object.entries(fields).flat() });
    this.wake.splice(0).forEach((wake) => wake());
    return id;
  }

  /** What MAXLEN trimming does: the entry goes, its place in a pending list stays. */
  trim(id: string): void {
    this.entries.splice(this.entries.findIndex((e) => e.id === id), 1);
  }

  /** Entries another consumer received and never acknowledged. */
  deliverTo(consumer: string, count: number): void {
    for (const entry of this.undelivered().slice(0, count)) this.deliver(entry.id, consumer);
  }

  pendingIds(): string[] {
    return [...(this.group?.pending.keys() ?? [])];
  }

  async xgroup(command: string, _key: string, name: string, from: string): Promise<'OK'> {
    expect(command).toBe('CREATE');
    if (this.group) throw new Error('BUSYGROUP Consumer Group name already exists');
    this.group = { name, lastDelivered: from === '$' ? this.next : seq(from), pending: new Map() };
    return 'OK';
  }

  async xack(_key: string, _group: string, ...ids: string[]): Promise<number> {
    return ids.filter((id) => this.group!.pending.delete(id)).length;
  }

  async xadd(key: string, ...args: (string | number)[]): Promise<string> {
    const flat = args.slice(args.indexOf('*') + 1).map(String);
    const fields: Record<string, string> = { key };
    for (let i = 0; i < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
    this.deadLetters.push(fields);
    return `${this.deadLetters.length}-0`;
  }

  async xautoclaim(_key: string, _group: string, consumer: string, minIdleMs: number, _cursor: string): Promise<[string, [string, string[]][], string[]]> {
    const claimed: [string, string[]][] = [];
    const deleted: string[] = [];
    for (const [id, pending] of this.group!.pending) {
      if (Date.now() - pending.deliveredAt < minIdleMs) continue;
      const entry = this.entries.find((e) => e.id === id);
      if (!entry) {
        deleted.push(id);
        this.group!.pending.delete(id);
        continue;
      }
      this.group!.pending.set(id, { consumer, deliveredAt: Date.now() });
      claimed.push([id, entry.fields]);
    }
    return ['0-0', claimed, deleted];
  }

  /** XREADGROUP: new entries with '>', else the consumer's own pending ones after the id given. */
  read(consumer: string, count: number, blockMs: number | null, cursor: string): Promise<Reply> | Reply {
    if (!this.group) throw new Error("NOGROUP No such key 'stream' or consumer group 'api' in XREADGROUP with GROUP option");
    const group = this.group;
    if (cursor !== '>') {
      const own = [...group.pending]
        .filter(([id, p]) => p.consumer === consumer && seq(id) > seq(cursor))
        .map(([id]) => [id, this.entries.find((e) => e.id === id)?.fields ?? null] as [string, string[] | null]);
      return [['stream', own.slice(0, count)]];
    }
    const fresh = this.undelivered().slice(0, count);
    if (fresh.length > 0) {
      for (const entry of fresh) this.deliver(entry.id, consumer);
      return [['stream', fresh.map((e) => [e.id, e.fields] as [string, string[]])]];
    }
    if (blockMs === null) return null;
    return new Promise<Reply>((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(this.read(consumer, count, blockMs, cursor));
      };
      // A read that timed out is over: a later entry is not delivered to it.
      const timer = setTimeout(() => {
        this.wake.splice(this.wake.indexOf(wake), 1);
        resolve(null);
      }, blockMs);
      this.wake.push(wake);
      this.blocking.onDisconnect = () => {
        clearTimeout(timer);
        reject(new Error('Connection is closed.'));
      };
    });
  }

  private undelivered() {
    return this.entries.filter((e) => seq(e.id) > this.group!.lastDelivered);
  }

  private deliver(id: string, consumer: string): void {
    this.group!.lastDelivered = seq(id);
    this.group!.pending.set(id, { consumer, deliveredAt: Date.now() });
  }
}

/** The consumer's own connection for XREADGROUP BLOCK. */
class FakeBlockingConnection {
  onDisconnect: (() => void) | null = null;
  failNextReads = 0;
  constructor(private readonly redis: FakeStreamRedis) {}

  on(): this {
    return this;
  }
  async connect(): Promise<void> {}
  disconnect(): void {
    this.onDisconnect?.();
  }

  async call(command: string, ...args: (string | number)[]): Promise<Reply> {
    expect(command).toBe('XREADGROUP');
    if (this.failNextReads > 0) {
      this.failNextReads -= 1;
      throw new Error('READONLY You can\'t write against a read only replica.');
    }
    const at = (name: string) => args.indexOf(name);
    const consumer = String(args[at('GROUP') + 2]);
    const count = Number(args[at('COUNT') + 1]);
    const blockMs = at('BLOCK') >= 0 ? Number(args[at('BLOCK') + 1]) : null;
    const cursor = String(args[at('STREAMS') + 2]);
    return this.redis.read(consumer, count, blockMs, cursor);
  }
}

/** Records what it was handed; can be told to fail, or to hold an event until released. */
class RecordingHandler extends ResultEventHandler {
  readonly handled: ResultEvent[] = [];
  failures = 0;
  hold: Promise<void> | null = null;

  async handle(event: ResultEvent): Promise<void> {
    if (this.hold) await this.hold;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('Connection is closed.'); // the store's Redis, say
    }
    this.handled.push(event);
  }
}

const SUBMISSION_ID = '7d5e7b4e-1d2a-4c1e-9a57-2b0c7f1e8a11';
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const base = { submissionId: SUBMISSION_ID, traceparent: TRACEPARENT, attempt: 1 };

const running = (workerId = 'judge-7'): ResultEvent => ({ type: 'running', ...base, startedAt: '2026-12-06T00:00:00.000Z', workerId });
const final: FinalEvent = {
  type: 'final', ...base, status: 'completed', verdict: 'AC', tests: [], compileOutput: null, message: null,
  finishedAt: '2026-12-06T00:00:01.000Z', score: 100, maxScore: 100, subtasks: [],
};

describe('ResultStreamConsumer', () => {
  const config = loadConfig(ResultStreamConfig, {
    RESULT_STREAM_CONSUMER: 'api-1',
    RESULT_STREAM_BLOCK_MS: '2000',
    RESULT_STREAM_CLAIM_IDLE_MS: '30000',
    RESULT_STREAM_CLAIM_INTERVAL_MS: '10000',
  });
  const keys = new RedisKeys(loadConfig(RedisConfig, {}));
  let redis: FakeStreamRedis;
  let handler: RecordingHandler;
  let consumer: ResultStreamConsumer;
  let errors: string[];

  /** Lets the read loop take what is in the stream (promise callbacks only, no time passes). */
  const settle = () => jest.advanceTimersByTimeAsync(0);

  beforeEach(() => {
    jest.useFakeTimers();
    errors = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void errors.push(String(message)));
    redis = new FakeStreamRedis();
    handler = new RecordingHandler();
    consumer = new ResultStreamConsumer(redis as never, keys, config, handler);
  });

  afterEach(async () => {
    await consumer.onApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('reads what workers publish, hands each event to the handler in order, and acknowledges it', async () => {
    await consumer.onApplicationBootstrap();
    redis.add(encodeResultEvent(running()));
    redis.add(encodeResultEvent(final));
    await settle();
    expect(handler.handled).toEqual([expect.objectContaining(running()), expect.objectContaining(final)]);
    expect(redis.pendingIds()).toEqual([]);
  });

  it('reads events published before the group existed (the first API start loses nothing)', async () => {
    redis.add(encodeResultEvent(running()));
    await consumer.onApplicationBootstrap();
    await settle();
    expect(handler.handled).toHaveLength(1);
  });

  it('joins an existing group', async () => {
    await redis.xgroup('CREATE', keys.resultStream, config.RESULT_STREAM_GROUP, '0');
    redis.add(encodeResultEvent(running()));
    await consumer.onApplicationBootstrap();
    await settle();
    expect(handler.handled).toHaveLength(1);
  });

  it('acknowledges an entry only once the handler resolved', async () => {
    let release!: () => void;
    handler.hold = new Promise<void>((resolve) => (release = resolve));
    await consumer.onApplicationBootstrap();
    const id = redis.add(encodeResultEvent(final));
    await settle();
    expect(redis.pendingIds()).toEqual([id]);
    release();
    await settle();
    expect(redis.pendingIds()).toEqual([]);
  });

  it('on start, first handles what it received but never acknowledged before it stopped, then new entries', async () => {
    await redis.xgroup('CREATE', keys.resultStream, config.RESULT_STREAM_GROUP, '0');
    redis.add(encodeResultEvent(running('before-crash')));
    redis.deliverTo('api-1', 1); // read by this consumer before a crash, never acknowledged
    redis.add(encodeResultEvent(running('new')));
    await consumer.onApplicationBootstrap();
    await settle();
    expect(handler.handled.map((e) => (e as { workerId: string }).workerId)).toEqual(['before-crash', 'new']);
    expect(redis.pendingIds()).toEqual([]);
  });

  it('on start, an entry of its own trimmed from the stream meanwhile is acknowledged, and the ones after it handled', async () => {
    await redis.xgroup('CREATE', keys.resultStream, config.RESULT_STREAM_GROUP, '0');
    const trimmed = redis.add(encodeResultEvent(running('trimmed')));
    redis.add(encodeResultEvent(running('kept')));
    redis.deliverTo('api-1', 2);
    redis.trim(trimmed);
    await consumer.onApplicationBootstrap();
    await settle();
    expect(handler.handled.map((e) => (e as { workerId: string }).workerId)).toEqual(['kept']);
    expect(redis.pendingIds()).toEqual([]);
    expect(errors).toEqual([]);
  });

  describe('an entry that cannot be decoded', () => {
    beforeEach(() => consumer.onApplicationBootstrap());

    it('a final: dead-lettered with the reason, its submission ended failed IE with the reason, acknowledged', async () => {
      const id = redis.add({ ...encodeResultEvent(final), body: '{"status": "completed", ' });
      await settle();
      expect(redis.deadLetters).toEqual([expect.objectContaining({ key: keys.resultDeadLetters, entryId: id, reason: 'body is not valid JSON' })]);
      expect(JSON.parse(redis.deadLetters[0].fields)).toMatchObject({ type: 'final', submissionId: SUBMISSION_ID });
      expect(handler.handled).toEqual([
        { ...judgeFailedEvent({ submissionId: SUBMISSION_ID, traceparent: TRACEPARENT, attempt: final.attempt, message: "the judge's final result could not be read: body is not valid JSON" }), finishedAt: expect.any(String) },
      ]);
      expect(redis.pendingIds()).toEqual([]);
    });

    it('a final failing validation: the reason names the field', async () => {
      redis.add(encodeResultEvent({ ...final, verdict: 'XX' as FinalEvent['verdict'] }));
      await settle();
      expect(redis.deadLetters[0].reason).toMatch(/verdict/);
      expect(handler.handled).toEqual([expect.objectContaining({ type: 'final', status: 'failed', verdict: 'IE', message: expect.stringMatching(/^the judge's final result could not be read: .*verdict/) })]);
    });

    it('a final without a valid submission id: dead-lettered, nothing to end', async () => {
      redis.add({ ...encodeResultEvent(final), submissionId: 'not-a-submission' });
      await settle();
      expect(redis.deadLetters).toHaveLength(1);
      expect(handler.handled).toEqual([]);
      expect(redis.pendingIds()).toEqual([]);
    });

    it.each<[string, Record<string, string>, RegExp]>([
      ['an unknown version', { ...encodeResultEvent(running()), v: '9' }, /^unsupported event version "9"/],
      ['an unknown type', { ...encodeResultEvent(running()), type: 'paused' }, /^type must be one of running, compiled, tests, final/],
      ['a progress entry failing validation', encodeResultEvent({ type: 'tests', ...base, tests: [] }), /tests/],
    ])('%s: dead-lettered and logged, dropped, acknowledged; the entries behind it still handled', async (_what, fields, reason) => {
      const id = redis.add(fields);
      redis.add(encodeResultEvent(final));
      await settle();
      expect(redis.deadLetters).toEqual([expect.objectContaining({ entryId: id, reason: expect.stringMatching(reason) })]);
      expect(errors).toEqual([expect.stringContaining(`result stream entry ${id} is invalid`)]);
      expect(handler.handled).toEqual([expect.objectContaining({ type: 'final', status: 'completed' })]);
      expect(redis.pendingIds()).toEqual([]);
    });
  });

  describe('a handler that fails', () => {
    it('leaves the entry pending (nothing lost); it is handled again once claimed after the idle time', async () => {
      handler.failures = 1;
      await consumer.onApplicationBootstrap();
      const id = redis.add(encodeResultEvent(final));
      await settle();
      expect(handler.handled).toEqual([]);
      expect(redis.pendingIds()).toEqual([id]);
      expect(errors).toEqual([expect.stringContaining('reading the result stream failed: Connection is closed.; retrying')]);

      // Claimed at the first claim round after it has been idle for RESULT_STREAM_CLAIM_IDLE_MS.
      await jest.advanceTimersByTimeAsync(config.RESULT_STREAM_CLAIM_IDLE_MS - 1);
      expect(handler.handled).toEqual([]);
      expect(redis.pendingIds()).toEqual([id]);
      await jest.advanceTimersByTimeAsync(config.RESULT_STREAM_CLAIM_INTERVAL_MS);
      expect(handler.handled).toEqual([expect.objectContaining({ type: 'final' })]);
      expect(redis.pendingIds()).toEqual([]);
    });

    it('keeps reading new entries after the failure', async () => {
      handler.failures = 1;
      await consumer.onApplicationBootstrap();
      redis.add(encodeResultEvent(running('first')));
      await settle();
      await jest.advanceTimersByTimeAsync(1000);
      redis.add(encodeResultEvent(running('second')));
      await settle();
      expect(handler.handled.map((e) => (e as { workerId: string }).workerId)).toEqual(['second']);
    });
  });

  it('retries reading after Redis fails it', async () => {
    redis.blocking.failNextReads = 1;
    await consumer.onApplicationBootstrap();
    redis.add(encodeResultEvent(running()));
    await settle();
    expect(handler.handled).toEqual([]);
    expect(errors).toEqual([expect.stringContaining('READONLY')]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(handler.handled).toHaveLength(1);
  });

  it('makes its group again when Redis lost it (restarted without its data), and reads on from the start', async () => {
    await consumer.onApplicationBootstrap();
    await settle();
    redis.group = null;
    redis.entries.length = 0;
    await jest.advanceTimersByTimeAsync(2000); // the blocked read ends; the next one finds no group
    expect(errors).toEqual([expect.stringContaining('NOGROUP')]);
    await jest.advanceTimersByTimeAsync(1000);
    redis.add(encodeResultEvent(running()));
    await jest.advanceTimersByTimeAsync(1000);
    expect(handler.handled).toEqual([expect.objectContaining(running())]);
  });

  describe('claimAbandoned', () => {
    beforeEach(() => redis.xgroup('CREATE', keys.resultStream, config.RESULT_STREAM_GROUP, '0'));

    it('takes over entries a dead consumer left pending past the idle time, handles and acknowledges them', async () => {
      redis.add(encodeResultEvent(running('abandoned')));
      redis.deliverTo('api-dead', 1);
      jest.advanceTimersByTime(config.RESULT_STREAM_CLAIM_IDLE_MS);
      redis.add(encodeResultEvent(running('recent')));
      redis.deliverTo('api-other', 1);

      expect(await consumer.claimAbandoned()).toBe(1);
      expect(handler.handled.map((e) => (e as { workerId: string }).workerId)).toEqual(['abandoned']);
      expect(redis.pendingIds()).toEqual(['2-0']); // the other consumer's recent one stays with it
    });

    it('acknowledges abandoned entries that were trimmed from the stream, with nothing to handle', async () => {
      const id = redis.add(encodeResultEvent(final));
      redis.deliverTo('api-dead', 1);
      redis.trim(id);
      jest.advanceTimersByTime(config.RESULT_STREAM_CLAIM_IDLE_MS);
      expect(await consumer.claimAbandoned()).toBe(0);
      expect(handler.handled).toEqual([]);
      expect(redis.pendingIds()).toEqual([]);
    });
  });

  it('stops reading on shutdown at once, without waiting out the claim interval', async () => {
    await consumer.onApplicationBootstrap();
    await consumer.onApplicationShutdown(); // no time passes: a wait for the interval would never end here
    redis.add(encodeResultEvent(running()));
    await settle();
    expect(handler.handled).toEqual([]);
  });
});
