import { Injectable } from '@nestjs/common';
import { JudgingConfig } from '@verdict/config';
import { Limits } from '@verdict/contracts';
import { LanguageCommand } from '@verdict/languages';
import { RunResult, SandboxFile, SandboxSession } from '@verdict/sandbox';
import { signalName } from './run-classification';
import { CompileLimits, RunSpecs } from './run-specs';

/**
 * Whose code is compiled: a submission's (COMPILE_*, which operators shrink to end compile-time
 * bombs sooner), or a problem's checker or interactor (the author's trusted code, built once per
 * worker, with a budget of its own: a static C++ build takes seconds under gVisor and must not
 * fail for a machine busy with other builds).
 */
export type CompileBudget = 'submission' | 'problem-program';

export interface CompileOutcome {
  /** The compiler's stdout and stderr together (compilers write diagnostics to either). */
  output: string;
  /** Why it failed, or null when it built. */
  failure: string | null;
}

export interface MeasuredRun {
  run: RunResult;
  /** CPU time of each run, in order: two when the first just missed the limit and was repeated. */
  cpuTimeMsRuns: number[];
}

/**
 * Compiles and runs a program in a sandbox it is given, the way the judge does: its run-specs, its
 * compile budgets, its re-run of a run that just missed the CPU limit. Knows no verdicts; callers
 * (JudgeSubmission, ProblemProgramBuilder, later the solution lab) decide what a run means.
 */
@Injectable()
export class ProgramRunner {
  constructor(
    private readonly runSpecs: RunSpecs,
    private readonly config: JudgingConfig,
  ) {}

  compileLimits(budget: CompileBudget): CompileLimits {
    const c = this.config;
    return budget === 'submission'
      ? { cpuTimeMs: c.COMPILE_CPU_TIME_MS, wallTimeMs: c.COMPILE_WALL_TIME_MS, memoryMb: c.COMPILE_MEMORY_MB }
      : { cpuTimeMs: c.PROBLEM_PROGRAM_COMPILE_CPU_TIME_MS, wallTimeMs: c.PROBLEM_PROGRAM_COMPILE_WALL_TIME_MS, memoryMb: c.COMPILE_MEMORY_MB };
  }

  /** Writes the files and runs the compiler in one exchange with the harness. */
  async compile(session: SandboxSession, files: SandboxFile[], command: LanguageCommand, budget: CompileBudget): Promise<CompileOutcome> {
    const limits = this.compileLimits(budget);
    const run = await session.runWith(files, this.runSpecs.compile(command, limits));
    const text = Buffer.concat([run.stdout, run.stderr]).toString('utf8');
    const output = run.stdoutTruncated || run.stderrTruncated ? `${text}\n[compiler output truncated at ${this.config.COMPILE_OUTPUT_KB} KiB]` : text;
    return { output, failure: this.compileFailure(run, limits) };
  }

  /**
   * One run on one input, written first to `inputPath` (the private area); a run that finished just
   * over the CPU limit (within TIME_LIMIT_RERUN_MARGIN_PCT) runs once more, so timing noise does not
   * decide a TLE, and the second run is the one measured.
   */
  async runOnInput(session: SandboxSession, command: LanguageCommand, limits: Limits, input: SandboxFile): Promise<MeasuredRun> {
    const spec = this.runSpecs.submission(command, limits, input.path);
    let run = await session.runWith([input], spec);
    const cpuTimeMsRuns = [run.cpuTimeUs / 1000];
    if (this.justOverCpuLimit(run, limits.cpuTimeMs)) {
      run = await session.run(spec);
      cpuTimeMsRuns.push(run.cpuTimeUs / 1000);
    }
    return { run, cpuTimeMsRuns };
  }

  private compileFailure(run: RunResult, limits: CompileLimits): string | null {
    switch (run.killedBy) {
      case 'cpu':
        return `compilation exceeded its CPU time limit of ${limits.cpuTimeMs} ms`;
      case 'wall':
        return `compilation exceeded its wall time limit of ${limits.wallTimeMs} ms`;
      case 'memory':
        return `compilation exceeded its memory limit of ${limits.memoryMb} MB`;
      case 'output':
        return `compilation produced more than ${this.config.COMPILE_OUTPUT_KB} KiB of output`;
    }
    if (run.signal !== null) return `compiler killed by signal ${signalName(run.signal)}`;
    if (run.exitCode !== 0) return `compilation failed (exit code ${run.exitCode})`;
    return null;
  }

  /** Finished (not stopped by the harness) over the limit, but within the margin: worth a second run. */
  private justOverCpuLimit(run: RunResult, cpuTimeMs: number): boolean {
    return this.config.TIME_LIMIT_RERUN_MARGIN_PCT > 0 && run.killedBy === 'none' && run.cpuTimeUs / 1000 > cpuTimeMs;
  }
}
