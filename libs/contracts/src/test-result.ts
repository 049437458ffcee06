import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import { VERDICTS, Verdict } from './verdict';

/** How much of a test's stdout/stderr a result keeps: a preview, flagged when cut. */
export const OUTPUT_PREVIEW_BYTES = 4096;

/** One test's result, as stored, streamed and returned by GET /v1/submissions/:id. */
export class TestResult {
  @IsInt() @Min(0) index!: number;
  /** The problem's name for the test, or its 1-based number for inline tests. */
  @IsString() name!: string;
  @IsIn(VERDICTS as unknown as string[]) verdict!: Verdict;
  /** CPU time (user+sys) of the test process and its descendants. */
  @IsNumber() @Min(0) cpuTimeMs!: number;
  /**
   * CPU time of every run of this test: one entry, or two when the first run ended just over the
   * limit (within TIME_LIMIT_RERUN_MARGIN_PCT) and was repeated, so the timing noise seen is visible.
   * The last run is the one reported everywhere else.
   */
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(2) @IsNumber({}, { each: true }) cpuTimeMsRuns!: number[];
  @IsNumber() @Min(0) wallTimeMs!: number;
  /** Peak memory of the test's run: the larger of any one process's peak and what all its processes held together (shared memory included, the sandbox's files not). */
  @IsInt() @Min(0) memoryKb!: number;
  /** Exit code, or null when the process died of a signal. */
  @IsOptional() @IsInt() exitCode!: number | null;
  /** Name of the signal that ended the process (e.g. SIGSEGV), or null. */
  @IsOptional() @IsString() signal!: string | null;
  @IsString() stdout!: string;
  @IsBoolean() stdoutTruncated!: boolean;
  @IsString() stderr!: string;
  @IsBoolean() stderrTruncated!: boolean;
  /** Why the verdict is what it is, for people (checker message, limit hit, signal). */
  @IsString() message!: string;
  /** Fraction of the test's worth it earned: 1 for AC, 0 for a failure, in between for PA. */
  @IsNumber() @Min(0) @Max(1) score!: number;
}
