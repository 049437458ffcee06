export * from './result-event-handler';
export * from './result-stream.publisher';
export * from './result-stream.consumer';
export * from './result-stream.module';
export * from './result-stream-census';
