import { IsInt, IsNotEmpty, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { Redacted } from './load-config';

/** How to make a METRICS_BEARER_TOKEN: 32 random bytes. */
export const METRICS_BEARER_TOKEN_RECIPE = 'openssl rand -base64 32';

/**
 * Prometheus metrics (`@verdict/metrics`), on every process: the API's GET /metrics, and the
 * worker's and the webhook deliverer's own listeners (WorkerHttpConfig, DelivererHttpConfig).
 */
export class MetricsConfig {
  /**
   * How many tenants get a label value of their own in the metrics labelled by tenant (rate-limit
   * and admission refusals): the first this many distinct tenants a process sees, every later one
   * is "other". Bounds the series Prometheus stores. 0: every tenant is "other".
   */
  @IsInt() @Min(0) @Max(1000)
  METRICS_TENANT_LABELS: number = 20;

  /**
   * When set, every /metrics (API, worker, webhook deliverer) answers only requests carrying
   * `Authorization: Bearer <this>`; unset, /metrics is open to whoever reaches it, so never expose
   * it beyond the network Prometheus scrapes from. 16 to 512 characters.
   */
  @Redacted()
  @ValidateIf((config: MetricsConfig) => config.METRICS_BEARER_TOKEN !== '')
  @Length(16, 512, { message: `METRICS_BEARER_TOKEN must be 16 to 512 characters (make one: ${METRICS_BEARER_TOKEN_RECIPE})` })
  METRICS_BEARER_TOKEN: string = '';

  bearerToken(): string | null {
    return this.METRICS_BEARER_TOKEN === '' ? null : this.METRICS_BEARER_TOKEN;
  }
}

/**
 * The worker's own small HTTP listener (it has no API): GET /metrics, /healthz and /readyz, for
 * Prometheus and for an orchestrator's probes. Loopback by default: expose it deliberately.
 */
export class WorkerHttpConfig {
  @IsString() @IsNotEmpty()
  WORKER_HTTP_HOST: string = '127.0.0.1';

  /** 0: any free port (the worker logs the one it bound). */
  @IsInt() @Min(0) @Max(65535)
  WORKER_HTTP_PORT: number = 9465;
}

/**
 * A webhook deliverer process's (`main.js --webhook-deliverer`) own small HTTP listener: GET
 * /metrics and /healthz. A deliverer inside the API process has none: the API's /metrics shows its
 * metrics.
 */
export class DelivererHttpConfig {
  @IsString() @IsNotEmpty()
  DELIVERER_HTTP_HOST: string = '127.0.0.1';

  /** 0: any free port (the deliverer logs the one it bound). */
  @IsInt() @Min(0) @Max(65535)
  DELIVERER_HTTP_PORT: number = 9466;
}
