export * from './submission-store';
export * from './result-stream.publisher';
export * from './result-stream.consumer';
export * from './results.module';
