import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ResultStreamConfig } from '@verdict/config';
import { InvalidResultEventError, SUBMISSION_ID_PATTERN, decodeResultEvent, judgeFailedEvent } from '@verdict/contracts';
import { REDIS, RedisKeys } from '@verdict/redis';
import { SpanKind, inSpan } from '@verdict/telemetry';
import Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { ResultEventHandler } from './result-event-handler';

/** Fields are null for an entry trimmed from the stream while pending. */
type StreamEntry = [id: string, fields: string[] | null];

/**
 * API side of the result stream. Reads with a consumer group, hands each event to the
 * `ResultEventHandler` and acknowledges only after it is handled, so a crash between the two
 * redelivers rather than loses. On start it re-reads its own unacknowledged entries; periodically it claims
 * entries a dead consumer left pending. Entries that cannot be decoded go to a dead-letter stream
 * with the reason, and never block the ones behind them.
 */
@Injectable()
export class ResultStreamConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ResultStreamConsumer.name);
  private readonly blocking: Redis;
  private running = false;
  /** Ends the claim loop's wait at once on shutdown. */
  private readonly stopping = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly config: ResultStreamConfig,
    private readonly handler: ResultEventHandler,
  ) {
    // XREADGROUP BLOCK holds its connection: it must not be the one requests use.
    this.blocking = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: true });
    this.blocking.on('error', () => undefined);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.RESULT_STREAM_CONSUME === 'false') {
      this.logger.log('RESULT_STREAM_CONSUME=false: this replica applies no results');
      return;
    }
    await this.blocking.connect();
    await this.ensureGroup();
    this.running = true;
    this.loops = [this.readLoop(), this.claimLoop()];
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.blocking.disconnect(); // aborts a pending XREADGROUP BLOCK
    await Promise.allSettled(this.loops);
  }

  private async ensureGroup(): Promise<void> {
    try {
      // From the start of the stream: events written before the first API ever started are not lost.
      await this.redis.xgroup('CREATE', this.keys.resultStream, this.config.RESULT_STREAM_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
  }

  private async readLoop(): Promise<void> {
    // First what this consumer received but never acknowledged (a crash before XACK), then new entries.
    let cursor = '0';
    while (this.running) {
      try {
        const reply = (await this.blocking.call(
          'XREADGROUP', 'GROUP', this.config.RESULT_STREAM_GROUP, this.config.RESULT_STREAM_CONSUMER,
          'COUNT', 100,
          ...(cursor === '>' ? ['BLOCK', this.config.RESULT_STREAM_BLOCK_MS] : []),
          'STREAMS', this.keys.resultStream, cursor,
        )) as [string, StreamEntry[]][] | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (cursor !== '>' && entries.length === 0) cursor = '>';
        else if (cursor !== '>') cursor = entries[entries.length - 1][0];
        await this.handle(entries);
      } catch (error) {
        if (!this.running) return;
        const message = (error as Error).message;
        this.logger.error(`reading the result stream failed: ${message}; retrying`);
        await sleep(1000);
        // The stream or its group is gone (a Redis restarted without its data): made again, read from the start.
        if (message.includes('NOGROUP')) await this.ensureGroup().catch(() => undefined);
      }
    }
  }

  private async claimLoop(): Promise<void> {
    while (this.running) {
      await sleep(this.config.RESULT_STREAM_CLAIM_INTERVAL_MS, undefined, { ref: false, signal: this.stopping.signal }).catch(() => undefined);
      if (!this.running) return;
      try {
        await this.claimAbandoned();
      } catch (error) {
        this.logger.error(`claiming abandoned result entries failed: ${(error as Error).message}`);
      }
    }
  }

  /** Claims entries idle past the threshold in any consumer's pending list, until the cursor wraps. */
  async claimAbandoned(): Promise<number> {
    let cursor = '0-0';
    let claimed = 0;
    do {
      const [next, entries, deleted] = (await this.redis.xautoclaim(
        this.keys.resultStream, this.config.RESULT_STREAM_GROUP, this.config.RESULT_STREAM_CONSUMER,
        this.config.RESULT_STREAM_CLAIM_IDLE_MS, cursor, 'COUNT', 100,
      )) as [string, StreamEntry[], string[]?];
      // Entries trimmed from the stream while pending come back as ids only: nothing to apply.
      if (deleted?.length) await this.redis.xack(this.keys.resultStream, this.config.RESULT_STREAM_GROUP, ...deleted);
      const live = entries.filter((entry) => entry && entry[1]);
      await this.handle(live);
      claimed += live.length;
      cursor = next;
    } while (cursor !== '0-0' && this.running);
    return claimed;
  }

  private async handle(entries: StreamEntry[]): Promise<void> {
    for (const [id, flat] of entries) {
      // An entry of this consumer's own pending list trimmed from the stream meanwhile: an id, no fields, nothing to apply.
      if (!flat) {
        await this.redis.xack(this.keys.resultStream, this.config.RESULT_STREAM_GROUP, id);
        continue;
      }
      const fields: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
      // The entry's span continues the worker's publish span: what follows from it (the webhook) joins the trace there.
      await inSpan('process results', { kind: SpanKind.CONSUMER, parent: fields.traceparent, attributes: resultEntryAttributes(id, fields) }, async () => {
        try {
          await this.handler.handle(decodeResultEvent(fields));
        } catch (error) {
          if (!(error instanceof InvalidResultEventError)) throw error; // Redis trouble: leave it pending, retry later
          await this.deadLetter(id, fields, error.message);
          await this.failUnreadableFinal(fields, error.message);
        }
      });
      await this.redis.xack(this.keys.resultStream, this.config.RESULT_STREAM_GROUP, id);
    }
  }

  /**
   * A final result that cannot be read would leave its submission running forever: it ends as a
   * failure of the judge instead, with the reason (the entry itself is in the dead-letter stream).
   */
  private async failUnreadableFinal(fields: Record<string, string>, reason: string): Promise<void> {
    if (fields.type !== 'final' || !SUBMISSION_ID_PATTERN.test(fields.submissionId ?? '')) return;
    // The entry's own attempt when it is readable, so the failure counts as that judging's end.
    const attempt = /^[1-9]\d{0,5}$/.test(fields.attempt ?? '') ? Number(fields.attempt) : 1;
    await this.handler.handle(
      judgeFailedEvent({ submissionId: fields.submissionId, traceparent: fields.traceparent ?? '', attempt, message: `the judge's final result could not be read: ${reason}` }),
    );
  }

  private async deadLetter(id: string, fields: Record<string, string>, reason: string): Promise<void> {
    this.logger.error(`result stream entry ${id} is invalid and was moved to ${this.keys.resultDeadLetters}: ${reason}`);
    await this.redis.xadd(
      this.keys.resultDeadLetters, 'MAXLEN', '~', 10000, '*',
      'entryId', id, 'reason', reason, 'fields', JSON.stringify(fields),
    );
  }
}

/** A result entry's span attributes (OpenTelemetry messaging conventions, and the submission). */
function resultEntryAttributes(id: string, fields: Record<string, string>): Record<string, string> {
  return { 'messaging.system': 'redis', 'messaging.operation.type': 'process', 'messaging.message.id': id, 'verdict.result.type': fields.type ?? '', 'verdict.submission.id': fields.submissionId ?? '' };
}
