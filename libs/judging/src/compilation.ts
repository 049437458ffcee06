import { JudgingConfig } from '@verdict/config';
import { RunResult } from '@verdict/sandbox';
import { signalName } from './run-classification';

/** What one compilation may take. */
export interface CompileLimits {
  cpuTimeMs: number;
  wallTimeMs: number;
  memoryMb: number;
}

/** A submission's compilation: COMPILE_*, which operators shrink to end compile-time bombs sooner. */
export function submissionCompileLimits(config: JudgingConfig): CompileLimits {
  return { cpuTimeMs: config.COMPILE_CPU_TIME_MS, wallTimeMs: config.COMPILE_WALL_TIME_MS, memoryMb: config.COMPILE_MEMORY_MB };
}

/**
 * A problem's checker or interactor: the problem author's trusted code, built once per worker, so a
 * budget of its own; a static C++ build takes seconds under gVisor and must not fail for a machine
 * busy with other builds.
 */
export function problemProgramCompileLimits(config: JudgingConfig): CompileLimits {
  return { cpuTimeMs: config.PROBLEM_PROGRAM_COMPILE_CPU_TIME_MS, wallTimeMs: config.PROBLEM_PROGRAM_COMPILE_WALL_TIME_MS, memoryMb: config.COMPILE_MEMORY_MB };
}

/** Compilers write diagnostics to either stream; a person wants them together. */
export function compileOutputOf(run: RunResult, config: JudgingConfig): string {
  const text = Buffer.concat([run.stdout, run.stderr]).toString('utf8');
  const cut = run.stdoutTruncated || run.stderrTruncated;
  return cut ? `${text}\n[compiler output truncated at ${config.COMPILE_OUTPUT_KB} KiB]` : text;
}

/** Why a compilation failed, or null when it succeeded. */
export function compileFailure(run: RunResult, config: JudgingConfig, limits: CompileLimits): string | null {
  switch (run.killedBy) {
    case 'cpu':
      return `compilation exceeded its CPU time limit of ${limits.cpuTimeMs} ms`;
    case 'wall':
      return `compilation exceeded its wall time limit of ${limits.wallTimeMs} ms`;
    case 'memory':
      return `compilation exceeded its memory limit of ${limits.memoryMb} MB`;
    case 'output':
      return `compilation produced more than ${config.COMPILE_OUTPUT_KB} KiB of output`;
  }
  if (run.signal !== null) return `compiler killed by signal ${signalName(run.signal)}`;
  if (run.exitCode !== 0) return `compilation failed (exit code ${run.exitCode})`;
  return null;
}
