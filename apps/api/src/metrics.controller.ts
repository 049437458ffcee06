import { Controller, Get, Headers, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { MetricsConfig } from '@verdict/config';
import { METRICS_CHALLENGE, MetricsRegistry, bearerTokenAllows } from '@verdict/metrics';
import { Public } from '@verdict/tenants';
import type { FastifyReply } from 'fastify';

/**
 * GET /metrics: the API process's metrics in the Prometheus text format, for operators' scrapers.
 * Outside /v1, no API key and no rate limit (@Public()), not in the OpenAPI document; with
 * METRICS_BEARER_TOKEN set it needs `Authorization: Bearer <it>`. Never expose it publicly: put
 * it behind the network Prometheus scrapes from (or the token).
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly config: MetricsConfig,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!bearerTokenAllows(this.config.bearerToken(), authorization)) {
      reply.header('WWW-Authenticate', METRICS_CHALLENGE);
      throw new UnauthorizedException('GET /metrics needs Authorization: Bearer <METRICS_BEARER_TOKEN>');
    }
    const { contentType, text } = await this.metrics.exposition();
    reply.header('Content-Type', contentType);
    return text;
  }
}
