export * from './queue-declaration';
export * from './job-failures';
export * from './job-queue';
export * from './queue-processor';
export * from './queue-handler-check';
export * from './job-queues.module';
export * from './judge.queue';
export * from './webhook-delivery.queue';
