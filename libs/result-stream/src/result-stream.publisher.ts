import { Inject, Injectable } from '@nestjs/common';
import { ResultStreamConfig } from '@verdict/config';
import { ResultEvent, encodeResultEvent } from '@verdict/contracts';
import { REDIS, RedisKeys } from '@verdict/redis';
import Redis from 'ioredis';

/** Worker side of the result stream: appends events, trimming the stream to about its configured length. */
@Injectable()
export class ResultStreamPublisher {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly config: ResultStreamConfig,
  ) {}

  async publish(event: ResultEvent): Promise<string> {
    const fields = Object.entries(encodeResultEvent(event)).flat();
    const id = await this.redis.xadd(this.keys.resultStream, 'MAXLEN', '~', this.config.RESULT_STREAM_MAXLEN, '*', ...fields);
    return id as string;
  }
}
