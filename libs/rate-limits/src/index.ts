export * from './rate-limit-headers';
export * from './rate-limit-exceeded.error';
export * from './api-key-rate-limiter';
export * from './rate-limit.guard';
export * from './rate-limits.module';
