import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { WebhookDeliveryConfig } from '@verdict/config';
import { REDIS, RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';
import { DELIVERY_STATES, DeliveryState } from './delivery-decision';
import { WebhookEvent } from './webhook-event';

/** One try of a delivery, as the deliveries listing shows it. */
export class DeliveryAttempt {
  /** 1, 2, ... over every run of the event, in the order the tries were recorded. */
  @ApiProperty({ type: 'integer', minimum: 1, description: '1, 2, ... over every run of the event, in the order the tries were recorded.', example: 1 })
  attempt!: number;
  /** The run it belongs to: 0 the delivery that followed the event, 1, 2, ... each redelivery. */
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The run it belongs to: 0 the delivery that followed the event, 1, 2, ... each redelivery.', example: 0 })
  run!: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-03T10:00:00.500Z' })
  startedAt!: string;
  @ApiProperty({ minimum: 0, example: 41 })
  durationMs!: number;
  /** The receiver's status; null when it never answered. */
  @ApiProperty({ type: 'integer', nullable: true, description: "The receiver's status; null when it never answered.", example: 503 })
  statusCode!: number | null;
  /** Why there was no answer (timeout, refused connection, refused address), or why it ended the delivery. */
  @ApiProperty({ type: String, nullable: true, description: 'Why there was no answer (timeout, refused connection, refused address), or why it ended the delivery.', example: null })
  error!: string | null;
  /** The start of the receiver's answer (WEBHOOK_RESPONSE_BODY_MAX_BYTES). */
  @ApiProperty({ type: String, nullable: true, description: "The start of the receiver's answer (WEBHOOK_RESPONSE_BODY_MAX_BYTES).", example: 'busy' })
  responseBody!: string | null;
  @ApiProperty({ example: false })
  responseBodyTruncated!: boolean;
  /** Where the delivery stood after this try: `pending` while another try is scheduled. */
  @ApiProperty({ enum: DELIVERY_STATES, description: 'Where the delivery stood after this try: pending while another try is scheduled.', example: 'pending' })
  state!: DeliveryState;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-12-03T10:00:05.800Z' })
  nextAttemptAt!: string | null;
}

/** A try as recorded; its number is its place in the record. */
export type RecordedAttempt = Omit<DeliveryAttempt, 'attempt'>;

/** A delivery record without its tries: what a try needs. */
export interface WebhookDelivery {
  eventId: string;
  type: string;
  url: string;
  body: string;
  traceparent: string;
  /** Whose secrets sign it (null: WEBHOOK_SECRET's). */
  tenantId: string | null;
  createdAt: string;
  state: DeliveryState;
  run: number;
}

/** One event's delivery as listed: the event's id and type, where it goes, where it stands, every try. */
export class WebhookDeliveryView {
  @ApiProperty({ example: 'msg_0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11_1' }) eventId!: string;
  @ApiProperty({ example: 'submission.completed' }) type!: string;
  @ApiProperty({ example: 'https://grader.example/verdicts' }) url!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-03T10:00:00.450Z' }) createdAt!: string;
  @ApiProperty({ enum: DELIVERY_STATES, example: 'delivered' }) state!: DeliveryState;
  /** Redeliveries asked for so far. */
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Redeliveries asked for so far.', example: 0 }) redeliveries!: number;
  @ApiProperty({ type: [DeliveryAttempt] }) attempts!: DeliveryAttempt[];
}

type RedisWithScripts = Redis & {
  openWebhookDelivery(key: string, subjectIndex: string, pendingIndex: string, retention: number, now: number, eventId: string, ...fields: string[]): Promise<[string, string]>;
  startWebhookRedelivery(key: string, pendingIndex: string, retention: number, now: number, eventId: string): Promise<number>;
  recordWebhookAttempt(key: string, attemptsKey: string, pendingIndex: string, attempt: string, run: number, state: string, retention: number, eventId: string): Promise<void>;
  recordLostWebhookTry(key: string, attemptsKey: string, pendingIndex: string, attempt: string, run: number, state: string, retention: number, eventId: string, jobEnd: string): Promise<number>;
  forgetEndedWebhookDeliveries(numberOfKeys: number, pendingIndex: string, ...deliveryKeysThenIds: string[]): Promise<number>;
};

/**
 * Creates a delivery unless it exists (an event announced again keeps the body, URL, trace, state
 * and run it has), indexes it under its subject and, while it is pending, among the pending ones;
 * returns its state and run.
 */
const OPEN_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], unpack(ARGV, 4))
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[1])
local current = redis.call('HMGET', KEYS[1], 'state', 'run')
if current[1] == 'pending' then redis.call('ZADD', KEYS[3], 'NX', ARGV[2], ARGV[3]) end
return current
`;

/** Makes a delivery pending again under a new run (the run's number), or -1 when there is no such delivery. */
const START_REDELIVERY_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
redis.call('HSET', KEYS[1], 'state', 'pending')
local run = redis.call('HINCRBY', KEYS[1], 'run', 1)
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return run
`;

/**
 * Appends a try to the record and, if the try belongs to the delivery's current run, sets the
 * delivery's state (a delivery that ended leaves the pending index): a try of a run replaced by a
 * redelivery while in flight is kept in the record but decides nothing.
 */
const RECORD_ATTEMPT_LUA = `
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[4])
if redis.call('HGET', KEYS[1], 'run') == ARGV[2] then
  redis.call('HSET', KEYS[1], 'state', ARGV[3])
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  if ARGV[3] ~= 'pending' then redis.call('ZREM', KEYS[3], ARGV[5]) end
end
`;

/**
 * Records a try whose job BullMQ failed, once per end of that job (ARGV[6], the job's id and when it
 * failed): only while the delivery is pending under that run, and not again when another sweep, or
 * another API replica, already recorded that end. 1 when recorded.
 */
const RECORD_LOST_TRY_LUA = `
local current = redis.call('HMGET', KEYS[1], 'state', 'run', 'lostJobEnd')
if current[1] ~= 'pending' or current[2] ~= ARGV[2] or current[3] == ARGV[6] then return 0 end
redis.call('HSET', KEYS[1], 'lostJobEnd', ARGV[6], 'state', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[4])
if ARGV[3] ~= 'pending' then redis.call('ZREM', KEYS[3], ARGV[5]) end
return 1
`;

/** Drops from the pending index the deliveries (KEYS[2..], ids in ARGV) that are not pending, or no longer exist. */
const FORGET_ENDED_LUA = `
local removed = 0
for i = 1, #ARGV do
  if redis.call('HGET', KEYS[i + 1], 'state') ~= 'pending' then
    removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return removed
`;

/**
 * Webhook deliveries in Redis, kept WEBHOOK_DELIVERY_RETENTION_SECONDS: per event a hash (the
 * event's body, URL and trace as first built, its state and run) and a list of its tries; per
 * subject (a submission) the ids of its events in order; and the ids of the pending deliveries
 * (entered when opened or redelivered, left when a try or a lost job ends the delivery), which
 * WebhookDeliveryReconciler sweeps.
 */
@Injectable()
export class WebhookDeliveryStore {
  private readonly redis: RedisWithScripts;
  private readonly retention: number;

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly keys: RedisKeys,
    config: WebhookDeliveryConfig,
  ) {
    if (!('openWebhookDelivery' in redis)) redis.defineCommand('openWebhookDelivery', { numberOfKeys: 3, lua: OPEN_LUA });
    if (!('startWebhookRedelivery' in redis)) redis.defineCommand('startWebhookRedelivery', { numberOfKeys: 2, lua: START_REDELIVERY_LUA });
    if (!('recordWebhookAttempt' in redis)) redis.defineCommand('recordWebhookAttempt', { numberOfKeys: 3, lua: RECORD_ATTEMPT_LUA });
    if (!('recordLostWebhookTry' in redis)) redis.defineCommand('recordLostWebhookTry', { numberOfKeys: 3, lua: RECORD_LOST_TRY_LUA });
    // The keys vary in number (one delivery per id): given with each call.
    if (!('forgetEndedWebhookDeliveries' in redis)) redis.defineCommand('forgetEndedWebhookDeliveries', { lua: FORGET_ENDED_LUA });
    this.redis = redis as RedisWithScripts;
    this.retention = config.WEBHOOK_DELIVERY_RETENTION_SECONDS;
  }

  /**
   * The delivery of an event to `url`, created pending (run 0) unless it exists: an event announced
   * again keeps the body, URL and trace it was first stored with, and its state and run.
   */
  async open(event: WebhookEvent, url: string): Promise<{ state: DeliveryState; run: number }> {
    const fields: Record<string, string> = {
      eventId: event.id,
      type: event.type,
      url,
      body: event.body,
      traceparent: event.traceparent,
      ...(event.tenantId !== null ? { tenantId: event.tenantId } : {}),
      createdAt: new Date().toISOString(),
      state: 'pending' satisfies DeliveryState,
      run: '0',
    };
    const [state, run] = await this.redis.openWebhookDelivery(
      this.keys.webhookDelivery(event.id),
      this.keys.webhookEventsOf(event.subject),
      this.keys.webhookPendingDeliveries,
      this.retention,
      Date.now(),
      event.id,
      ...Object.entries(fields).flat(),
    );
    return { state: state as DeliveryState, run: Number(run) };
  }

  async get(eventId: string): Promise<WebhookDelivery | null> {
    const hash = await this.redis.hgetall(this.keys.webhookDelivery(eventId));
    return hash.eventId ? deliveryOf(hash) : null;
  }

  /** Where a delivery stands (its state and run) without its event, or null when there is none (never opened, or expired). */
  async stateOf(eventId: string): Promise<{ state: DeliveryState; run: number } | null> {
    const [state, run] = await this.redis.hmget(this.keys.webhookDelivery(eventId), 'state', 'run');
    return state === null ? null : { state: state as DeliveryState, run: Number(run) };
  }

  /** The tries of `run` of the event's delivery, in the order recorded. */
  async attemptsOfRun(eventId: string, run: number): Promise<RecordedAttempt[]> {
    const attempts = await this.redis.lrange(this.keys.webhookDeliveryAttempts(eventId), 0, -1);
    return attempts.map((json) => JSON.parse(json) as RecordedAttempt).filter((attempt) => attempt.run === run);
  }

  /** How many tries `run` of the event's delivery has had. */
  async triesOfRun(eventId: string, run: number): Promise<number> {
    return (await this.attemptsOfRun(eventId, run)).length;
  }

  /** Records a try and, unless a redelivery replaced its run meanwhile, where the delivery stands after it. */
  async recordAttempt(eventId: string, attempt: RecordedAttempt): Promise<void> {
    await this.redis.recordWebhookAttempt(
      this.keys.webhookDelivery(eventId),
      this.keys.webhookDeliveryAttempts(eventId),
      this.keys.webhookPendingDeliveries,
      JSON.stringify(attempt),
      attempt.run,
      attempt.state,
      this.retention,
      eventId,
    );
  }

  /**
   * Records a try whose outcome was lost, its job failed by BullMQ (`jobEnd` names that end of the
   * job: its id and when it failed), and where the delivery stands after it: only while the delivery
   * is pending under the try's run, and once per `jobEnd`, however many sweeps see it. True when
   * recorded by this call.
   */
  async recordLostTry(eventId: string, attempt: RecordedAttempt, jobEnd: string): Promise<boolean> {
    const recorded = await this.redis.recordLostWebhookTry(
      this.keys.webhookDelivery(eventId),
      this.keys.webhookDeliveryAttempts(eventId),
      this.keys.webhookPendingDeliveries,
      JSON.stringify(attempt),
      attempt.run,
      attempt.state,
      this.retention,
      eventId,
      jobEnd,
    );
    return recorded === 1;
  }

  /** Starts a new run of a delivery, whatever its state (a run still waiting is replaced): the run's number, or null without such a delivery. */
  async startRedelivery(eventId: string): Promise<number | null> {
    const run = await this.redis.startWebhookRedelivery(this.keys.webhookDelivery(eventId), this.keys.webhookPendingDeliveries, this.retention, Date.now(), eventId);
    return run === -1 ? null : run;
  }

  /** A page of the ids of pending deliveries (ZSCAN of the pending index: every one there throughout is seen once a scan ends). */
  async scanPending(cursor: string, count = 200): Promise<{ cursor: string; eventIds: string[] }> {
    const [next, flat] = await this.redis.zscan(this.keys.webhookPendingDeliveries, cursor, 'COUNT', count);
    return { cursor: next, eventIds: flat.filter((_, i) => i % 2 === 0) };
  }

  /** Drops from the pending index those of these deliveries that ended or expired (one pending again meanwhile stays). */
  async forgetEnded(eventIds: string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.redis.forgetEndedWebhookDeliveries(
      1 + eventIds.length,
      this.keys.webhookPendingDeliveries,
      ...eventIds.map((eventId) => this.keys.webhookDelivery(eventId)),
      ...eventIds,
    );
  }

  /** Ids of a subject's events, oldest first. */
  async eventsOf(subject: string): Promise<string[]> {
    return this.redis.zrange(this.keys.webhookEventsOf(subject), 0, -1);
  }

  /** Every delivery of a subject's events, oldest first, each with every try. */
  async viewsOf(subject: string): Promise<WebhookDeliveryView[]> {
    const eventIds = await this.eventsOf(subject);
    if (eventIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const eventId of eventIds) pipeline.hgetall(this.keys.webhookDelivery(eventId)).lrange(this.keys.webhookDeliveryAttempts(eventId), 0, -1);
    const results = (await pipeline.exec())!.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    const views: WebhookDeliveryView[] = [];
    for (let i = 0; i < eventIds.length; i++) {
      const hash = results[2 * i] as Record<string, string>;
      if (!hash.eventId) continue;
      const delivery = deliveryOf(hash);
      views.push({
        eventId: delivery.eventId,
        type: delivery.type,
        url: delivery.url,
        createdAt: delivery.createdAt,
        state: delivery.state,
        redeliveries: delivery.run,
        attempts: (results[2 * i + 1] as string[]).map((json, n) => ({ attempt: n + 1, ...(JSON.parse(json) as RecordedAttempt) })),
      });
    }
    return views;
  }
}

function deliveryOf(hash: Record<string, string>): WebhookDelivery {
  return {
    eventId: hash.eventId,
    type: hash.type,
    url: hash.url,
    body: hash.body,
    traceparent: hash.traceparent,
    tenantId: hash.tenantId ?? null,
    createdAt: hash.createdAt,
    state: hash.state as DeliveryState,
    run: Number(hash.run),
  };
}
