import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ResultStreamConfig } from '@verdict/config';
import { JudgeQueueGauges, ResultStreamCensus as Census } from '@verdict/metrics';
import { REDIS, RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';

/**
 * Where the API's result-stream gauges come from: the API consumer group's pending entries (XPENDING)
 * and its lag (XINFO GROUPS `lag`, Redis 7), in one pipeline, read when Prometheus scrapes. Every
 * replica exports the same numbers (they are the group's, not the replica's).
 */
@Injectable()
export class ResultStreamCensus implements OnModuleInit {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly config: ResultStreamConfig,
    private readonly gauges: JudgeQueueGauges,
  ) {}

  onModuleInit(): void {
    this.gauges.observeResultStream(() => this.read());
  }

  async read(): Promise<Census> {
    const stream = this.keys.resultStream;
    const replies = await this.redis.pipeline().xpending(stream, this.config.RESULT_STREAM_GROUP).xinfo('GROUPS', stream).exec();
    const [[pendingError, pending], [groupsError, groups]] = replies ?? [];
    // No stream yet (nothing published, no consumer started): nothing pending, nothing behind.
    if (/no such key|NOGROUP/i.test(String((pendingError ?? groupsError)?.message ?? ''))) return { pending: 0, lag: 0 };
    if (pendingError ?? groupsError) throw pendingError ?? groupsError;
    const group = (groups as unknown[][]).map(fieldsOf).find((fields) => fields.name === this.config.RESULT_STREAM_GROUP);
    if (!group) return { pending: 0, lag: 0 };
    return { pending: Number((pending as unknown[])[0] ?? 0), lag: group.lag === null || group.lag === undefined ? null : Number(group.lag) };
  }
}

/** XINFO GROUPS answers each group as a flat field/value list. */
function fieldsOf(flat: unknown[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = flat[i + 1];
  return fields;
}
