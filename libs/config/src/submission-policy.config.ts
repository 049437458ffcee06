import { LIMIT_FIELDS, LimitBounds, Limits } from '@verdict/contracts';
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
  /** Most submissions in one batch (POST /v1/batches); a larger batch is refused whole. */
  @IsInt() @Min(1) @Max(100000) MAX_BATCH_SIZE: number = 10000;
  /** How long submissions and their results are kept in Redis (batches too; rejudges reach only what is still kept). */
  @IsInt() @Min(60) SUBMISSION_RETENTION_SECONDS: number = 7 * 24 * 3600;

  /** The one reading of the DEFAULT_ / MIN_ / MAX_ settings above, for every limit. */
  limitBounds(): LimitBounds {
    return {
      cpuTimeMs: { min: 1, default: this.DEFAULT_CPU_TIME_MS, max: this.MAX_CPU_TIME_MS, setting: 'MAX_CPU_TIME_MS' },
      wallTimeMs: { min: 1, default: this.DEFAULT_WALL_TIME_MS, max: this.MAX_WALL_TIME_MS, setting: 'MAX_WALL_TIME_MS' },
      memoryMb: { min: this.MIN_MEMORY_MB, default: this.DEFAULT_MEMORY_MB, max: this.MAX_MEMORY_MB, setting: 'MAX_MEMORY_MB' },
      outputKb: { min: 1, default: this.DEFAULT_OUTPUT_KB, max: this.MAX_OUTPUT_KB, setting: 'MAX_OUTPUT_KB' },
    };
  }

  /** The limits of a submission that asks for none (before its language's adjustments). */
  defaultLimits(): Limits {
    const bounds = this.limitBounds();
    return Object.fromEntries(LIMIT_FIELDS.map((field) => [field, bounds[field].default])) as unknown as Limits;
  }
}
