export * from './redis-keys';
export * from './redis-options';
export * from './redis.module';
export * from './bull-options';
