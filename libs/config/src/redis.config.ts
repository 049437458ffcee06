import { IsNotEmpty, IsString, Matches } from 'class-validator';

export class RedisConfig {
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  /**
   * Prefix of every key Verdict writes (queues, submissions, streams), so several deployments or
   * test runs can share one Redis.
   */
  @IsString() @IsNotEmpty() @Matches(/^[A-Za-z0-9_.-]+$/, { message: 'VERDICT_KEY_PREFIX may hold only letters, digits, _ . -' })
  VERDICT_KEY_PREFIX: string = 'verdict';
}
