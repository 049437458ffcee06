export * from './redis.health';
export * from './queue-connections.health';
export * from './health.module';
