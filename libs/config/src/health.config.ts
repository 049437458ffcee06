import { IsInt, Max, Min } from 'class-validator';

/** Health probes: what a readiness check may take before its dependency counts as down. */
export class HealthConfig {
  /**
   * Each readiness check's bound (the Redis PING, the queue connections), in ms: a dependency that
   * hangs answers 503 instead of holding the probe. Keep it under the probe's own timeout
   * (Kubernetes' timeoutSeconds defaults to 1 s), or the probe gives up before the answer names
   * what failed.
   */
  @IsInt() @Min(10) @Max(30000)
  READINESS_CHECK_TIMEOUT_MS: number = 500;
}
