import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { HealthConfig } from '@verdict/config';
import { RedisHealthIndicator } from '@verdict/health';
import { LanguageCatalog } from '@verdict/languages';
import { ReadinessAnswer } from '@verdict/metrics';
import { DOCKER, RuntimeImagePins, SandboxPool } from '@verdict/sandbox';
import Docker from 'dockerode';

/**
 * Whether this worker can judge now (GET /readyz on its listener), with terminus: Redis answers a
 * PING on the worker's own connection (`redis`), the Docker engine answers a ping (`docker`), every
 * runtime image of the catalog exists and is the pinned one (`runtime-images`, as the worker checks
 * before its first job), and the sandbox pool is warm (`sandbox-pool`: SandboxPool.warmth). Each
 * check is bounded by READINESS_CHECK_TIMEOUT_MS; a 503 names every one that failed.
 */
@Injectable()
export class WorkerReadiness {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisHealthIndicator,
    @Inject(DOCKER) private readonly docker: Docker,
    private readonly images: RuntimeImagePins,
    private readonly pool: SandboxPool,
    private readonly languages: LanguageCatalog,
    private readonly config: HealthConfig,
  ) {}

  async check(): Promise<ReadinessAnswer> {
    const bound = this.config.READINESS_CHECK_TIMEOUT_MS;
    try {
      const body = await this.health.check([
        () => this.redis.isReachable('redis'),
        () => this.indicators.check('docker').attempt(async () => void (await this.docker.ping())).withTimeout(bound),
        () =>
          this.indicators
            .check('runtime-images')
            .attempt(async () => void (await this.images.verify(this.languages.list().map((language) => language.image))))
            .withTimeout(bound),
        () => {
          const { warm, reason } = this.pool.warmth();
          return warm ? this.indicators.check('sandbox-pool').up() : this.indicators.check('sandbox-pool').down({ message: reason });
        },
      ]);
      return { status: 200, body };
    } catch (error) {
      // HealthCheckService throws its result, every check named, as a 503.
      if (error instanceof ServiceUnavailableException) return { status: 503, body: error.getResponse() };
      throw error;
    }
  }
}
