import { IsInt, Max, Min } from 'class-validator';

/**
 * Judging policy of a worker: limits of the compiler, of a problem's checker and interactor and of
 * their builds, the re-run of a run that just missed its time limit, and the watchdog's allowance.
 * What a submitter may ask for is SubmissionPolicyConfig; the containers are SandboxConfig.
 */
export class JudgingConfig {
  /**
   * A run that ends with its CPU time over the limit by at most this many percent is run once more
   * before TLE is final: timing noise must not decide verdicts. 0 turns re-runs off.
   */
  @IsInt() @Min(0) @Max(100)
  TIME_LIMIT_RERUN_MARGIN_PCT: number = 10;

  /** Limits of one run of a problem's checker program (testlib or Kattis), per test. */
  @IsInt() @Min(100) CHECKER_CPU_TIME_MS: number = 10000;
  @IsInt() @Min(100) CHECKER_WALL_TIME_MS: number = 20000;
  @IsInt() @Min(16) CHECKER_MEMORY_MB: number = 512;
  /** A checker's sandbox holds one test's input, answer and the contestant's output at a time. */
  @IsInt() @Min(8) CHECKER_DATA_MB: number = 256;
  /** Built checkers and interactors kept per worker (each compiled once, then reused). */
  @IsInt() @Min(1) @Max(1024) PROBLEM_PROGRAM_CACHE_SIZE: number = 64;
  /** A checker's or interactor's build: trusted code, built once per worker, not bound by COMPILE_*. */
  @IsInt() @Min(100) PROBLEM_PROGRAM_COMPILE_CPU_TIME_MS: number = 60000;
  @IsInt() @Min(100) PROBLEM_PROGRAM_COMPILE_WALL_TIME_MS: number = 120000;

  /** Limits of a problem's interactor, per test; its wall limit is the submission's plus this grace. */
  @IsInt() @Min(100) INTERACTOR_CPU_TIME_MS: number = 10000;
  @IsInt() @Min(16) INTERACTOR_MEMORY_MB: number = 256;
  @IsInt() @Min(0) INTERACTOR_WALL_GRACE_MS: number = 2000;

  /**
   * The watchdog's allowance beyond a submission's own limits (its compilation, each test's run,
   * the checker's): once per submission, and per test for the exchanges and the test data. Past
   * the sum the submission is stopped, its sandbox destroyed, and its job retried or failed.
   */
  @IsInt() @Min(100) JUDGE_WATCHDOG_MARGIN_MS: number = 30000;
  @IsInt() @Min(0) JUDGE_WATCHDOG_PER_TEST_MS: number = 2000;

  @IsInt() @Min(100) COMPILE_CPU_TIME_MS: number = 15000;
  @IsInt() @Min(100) COMPILE_WALL_TIME_MS: number = 30000;
  @IsInt() @Min(64) COMPILE_MEMORY_MB: number = 1024;
  @IsInt() @Min(1) COMPILE_OUTPUT_KB: number = 64;
}
