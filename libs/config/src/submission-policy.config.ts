import { IsInt, Max, Min } from 'class-validator';

/**
 * Defaults and bounds for what a submitter may ask for. Requests outside the bounds are rejected
 * (400), never clamped silently.
 */
export class SubmissionPolicyConfig {
  @IsInt() @Min(1) DEFAULT_CPU_TIME_MS: number = 2000;
  @IsInt() @Min(1) MAX_CPU_TIME_MS: number = 15000;
  @IsInt() @Min(1) DEFAULT_WALL_TIME_MS: number = 5000;
  @IsInt() @Min(1) MAX_WALL_TIME_MS: number = 30000;
  @IsInt() @Min(4) DEFAULT_MEMORY_MB: number = 256;
  @IsInt() @Min(4) MIN_MEMORY_MB: number = 16;
  @IsInt() @Min(4) MAX_MEMORY_MB: number = 2048;
  @IsInt() @Min(1) DEFAULT_OUTPUT_KB: number = 1024;
  @IsInt() @Min(1) MAX_OUTPUT_KB: number = 65536;
  @IsInt() @Min(1) @Max(10000) MAX_TESTS: number = 200;
  /** Sum of all inline test inputs and expected outputs of one submission. */
  @IsInt() @Min(1) MAX_TEST_DATA_KB: number = 16 * 1024;
  /** How long submissions and their results are kept in Redis. */
  @IsInt() @Min(60) SUBMISSION_RETENTION_SECONDS: number = 7 * 24 * 3600;
}
