export * from './submission-store';
export * from './result-disclosure';
export * from './result-stream.publisher';
export * from './result-stream.consumer';
export * from './judge-job-fate';
export * from './judge-job.reconciler';
export * from './results.module';
