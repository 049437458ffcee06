import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { REDIS } from '@verdict/redis';
import { Public } from '@verdict/tenants';
import Redis from 'ioredis';
import { ApiProblemResponses } from './problem-responses';

class HealthStatus {
  @ApiProperty({ enum: ['ok'], example: 'ok' }) status!: 'ok';
}

@ApiTags('health')
@Public()
@Controller('v1/health')
export class HealthController {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  @Get()
  @ApiOperation({ operationId: 'health', summary: 'Whether the API is up and reaches Redis' })
  @ApiOkResponse({ type: HealthStatus, example: { status: 'ok' } })
  @ApiProblemResponses('/v1/health')
  async check(): Promise<HealthStatus> {
    try {
      await this.redis.ping();
    } catch (error) {
      throw new ServiceUnavailableException(`Redis unreachable: ${(error as Error).message}`);
    }
    return { status: 'ok' };
  }
}
