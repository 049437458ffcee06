import { ArgumentsHost, Catch, Controller, ExceptionFilter, Get, ServiceUnavailableException, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { QueueConnectionsHealthIndicator, RedisHealthIndicator } from '@verdict/health';
import { Public } from '@verdict/tenants';
import type { FastifyReply } from 'fastify';
import { HttpErrorsFilter } from './http-errors.filter';

/**
 * A failed readiness check answers with Terminus's own body (`status`, `error` naming each failing
 * check, `details`), which is what load balancers, Kubernetes and people reading a probe's output
 * expect, rather than the API's problem+json: HealthCheckService throws it as a 503 whose response
 * is that body. Any other error of these routes is problem+json as everywhere else.
 */
@Catch()
class HealthCheckResultFilter implements ExceptionFilter {
  private readonly problems = new HttpErrorsFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = exception instanceof ServiceUnavailableException ? exception.getResponse() : undefined;
    if (!isHealthCheckResult(body)) return this.problems.catch(exception, host);
    host.switchToHttp().getResponse<FastifyReply>().status(503).header('Cache-Control', 'no-cache, no-store, must-revalidate').send(body);
  }
}

function isHealthCheckResult(body: unknown): body is HealthCheckResult {
  return typeof body === 'object' && body !== null && 'status' in body && 'details' in body;
}

/**
 * The process's probes, for orchestrators and load balancers: outside /v1, no API key, no rate
 * limit, not in the OpenAPI document. GET /v1/health (HealthController) stays for existing callers.
 */
@ApiExcludeController()
@Public()
@UseFilters(HealthCheckResultFilter)
@Controller()
export class ProbesController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
    private readonly queues: QueueConnectionsHealthIndicator,
  ) {}

  /** Liveness: answers while the process serves HTTP; it checks no dependency, so an outage of Redis never gets the API restarted. */
  @Get('healthz')
  @HealthCheck({ swaggerDocumentation: false })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Readiness: Redis answers a PING on the API's own connection, and every BullMQ producer connection is ready; 503 names what is not. */
  @Get('readyz')
  @HealthCheck({ swaggerDocumentation: false })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.redis.isReachable(), () => this.queues.areReady()]);
  }
}
