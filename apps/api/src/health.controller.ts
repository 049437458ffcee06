import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { REDIS } from '@verdict/redis';
import Redis from 'ioredis';

@Controller('v1/health')
export class HealthController {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  @Get()
  async check(): Promise<{ status: 'ok' }> {
    try {
      await this.redis.ping();
    } catch (error) {
      throw new ServiceUnavailableException(`Redis unreachable: ${(error as Error).message}`);
    }
    return { status: 'ok' };
  }
}
