import { Inject, Injectable } from '@nestjs/common';
import { ResultStreamConfig } from '@verdict/config';
import { ResultEvent, encodeResultEvent } from '@verdict/contracts';
import { REDIS, RedisKeys } from '@verdict/redis';
import { SpanKind, inSpan, traceparentOf } from '@verdict/telemetry';
import Redis from 'ioredis';

/** The result stream could not be written (Redis down or failing): a fault outside the submission, worth another try. */
export class ResultStreamUnavailableError extends Error {}

/** Worker side of the result stream: appends events, trimming the stream to about its configured length. */
@Injectable()
export class ResultStreamPublisher {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly config: ResultStreamConfig,
  ) {}

  /**
   * Appends the event in a producer span of the active trace (the worker's judging), whose
   * traceparent the entry carries so the API's processing of it continues the trace.
   */
  async publish(event: ResultEvent): Promise<string> {
    const attributes = { 'messaging.system': 'redis', 'messaging.operation.type': 'send', 'messaging.destination.name': this.keys.resultStream, 'verdict.result.type': event.type, 'verdict.submission.id': event.submissionId };
    return inSpan('publish results', { kind: SpanKind.PRODUCER, attributes }, async (span) => {
      const fields = Object.entries(encodeResultEvent({ ...event, traceparent: traceparentOf(span) ?? event.traceparent })).flat();
      try {
        return (await this.redis.xadd(this.keys.resultStream, 'MAXLEN', '~', this.config.RESULT_STREAM_MAXLEN, '*', ...fields)) as string;
      } catch (error) {
        throw new ResultStreamUnavailableError(`publishing a ${event.type} result event failed: ${(error as Error).message}`);
      }
    });
  }
}
