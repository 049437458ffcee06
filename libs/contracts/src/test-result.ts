import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import { VERDICTS, Verdict } from './verdict';

/** How much of a test's stdout/stderr a result keeps: a preview, flagged when cut. */
export const OUTPUT_PREVIEW_BYTES = 4096;

/** One test's result, as stored, streamed and returned by GET /v1/submissions/:id. */
export class TestResult {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Position in run order, from 0.', example: 0 })
  @IsInt() @Min(0) index!: number;
  /** The problem's name for the test, or its 1-based number for inline tests. */
  @ApiProperty({ example: 'sample-1' })
  @IsString() name!: string;
  @ApiProperty({ enum: VERDICTS, example: 'AC' })
  @IsIn(VERDICTS as unknown as string[]) verdict!: Verdict;
  /** CPU time (user+sys) of the test process and its descendants. */
  @ApiProperty({ minimum: 0, example: 12.5 })
  @IsNumber() @Min(0) cpuTimeMs!: number;
  /**
   * CPU time of every run of this test: one entry, or two when the first run ended just over the
   * limit (within TIME_LIMIT_RERUN_MARGIN_PCT) and was repeated, so the timing noise seen is visible.
   * The last run is the one reported everywhere else.
   */
  @ApiProperty({ type: [Number], minItems: 1, maxItems: 2, example: [12.5] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(2) @IsNumber({}, { each: true }) cpuTimeMsRuns!: number[];
  @ApiProperty({ minimum: 0, example: 20.1 })
  @IsNumber() @Min(0) wallTimeMs!: number;
  /** Peak memory of the test's run: the larger of any one process's peak and what all its processes held together (shared memory included, the sandbox's files not). */
  @ApiProperty({ type: 'integer', minimum: 0, example: 9216 })
  @IsInt() @Min(0) memoryKb!: number;
  /** Exit code, or null when the process died of a signal. */
  @ApiProperty({ type: 'integer', nullable: true, example: 0 })
  @IsOptional() @IsInt() exitCode!: number | null;
  /** Name of the signal that ended the process (e.g. SIGSEGV), or null. */
  @ApiProperty({ type: String, nullable: true, example: null })
  @IsOptional() @IsString() signal!: string | null;
  @ApiProperty({ description: `The first ${OUTPUT_PREVIEW_BYTES} bytes.`, example: '3\n' })
  @IsString() stdout!: string;
  @ApiProperty({ example: false })
  @IsBoolean() stdoutTruncated!: boolean;
  @ApiProperty({ description: `The first ${OUTPUT_PREVIEW_BYTES} bytes.`, example: '' })
  @IsString() stderr!: string;
  @ApiProperty({ example: false })
  @IsBoolean() stderrTruncated!: boolean;
  /** Why the verdict is what it is, for people (checker message, limit hit, signal). */
  @ApiProperty({ example: '' })
  @IsString() message!: string;
  /** Fraction of the test's worth it earned: 1 for AC, 0 for a failure, in between for PA. */
  @ApiProperty({ minimum: 0, maximum: 1, example: 1 })
  @IsNumber() @Min(0) @Max(1) score!: number;
}
