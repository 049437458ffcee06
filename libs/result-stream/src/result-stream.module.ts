import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { RedisModule } from '@verdict/redis';
import { ResultStreamCensus } from './result-stream-census';
import { ResultStreamConsumer } from './result-stream.consumer';
import { ResultStreamPublisher } from './result-stream.publisher';

/** The worker's side (and the API's reconciler): appending result events. */
@Module({
  imports: [RedisModule],
  providers: [ResultStreamPublisher],
  exports: [ResultStreamPublisher],
})
export class ResultStreamPublisherModule {}

/**
 * The API's reader of the result stream, started with the app, and the source of its gauges
 * (`ResultStreamCensus`: needs the API's metrics, MetricsModule app 'api'). `imports` must provide the
 * `ResultEventHandler` its events go to; the app chooses it, so this library depends on no reader.
 */
@Module({})
export class ResultStreamConsumerModule {
  static register({ imports }: Pick<ModuleMetadata, 'imports'>): DynamicModule {
    return {
      module: ResultStreamConsumerModule,
      imports: [RedisModule, ...(imports ?? [])],
      providers: [ResultStreamConsumer, ResultStreamCensus],
      exports: [ResultStreamConsumer],
    };
  }
}
