import { SandboxConfig } from '@verdict/config';
import { LanguageCommand } from '@verdict/languages';
import { RunResult, RunSpec, SANDBOX_BASE_ENV } from '@verdict/sandbox';
import { signalName } from './run-classification';

/** The run of a compiler: its own limits (COMPILE_*), nothing on stdin. */
export function compileRunSpec(command: LanguageCommand, config: SandboxConfig): RunSpec {
  return {
    argv: command.command,
    env: { ...SANDBOX_BASE_ENV, ...command.env },
    stdinPath: null,
    cpuTimeMs: config.COMPILE_CPU_TIME_MS,
    wallTimeMs: config.COMPILE_WALL_TIME_MS,
    memoryKb: config.COMPILE_MEMORY_MB * 1024,
    stackKb: 0,
    fsizeKb: config.SANDBOX_FSIZE_MB * 1024,
    nofile: config.SANDBOX_NOFILE,
    stdoutMaxBytes: config.COMPILE_OUTPUT_KB * 1024,
    stderrMaxBytes: config.COMPILE_OUTPUT_KB * 1024,
  };
}

/** Compilers write diagnostics to either stream; a person wants them together. */
export function compileOutputOf(run: RunResult, config: SandboxConfig): string {
  const text = Buffer.concat([run.stdout, run.stderr]).toString('utf8');
  const cut = run.stdoutTruncated || run.stderrTruncated;
  return cut ? `${text}\n[compiler output truncated at ${config.COMPILE_OUTPUT_KB} KiB]` : text;
}

/** Why a compilation failed, or null when it succeeded. */
export function compileFailure(run: RunResult, config: SandboxConfig): string | null {
  switch (run.killedBy) {
    case 'cpu':
      return `compilation exceeded its CPU time limit of ${config.COMPILE_CPU_TIME_MS} ms`;
    case 'wall':
      return `compilation exceeded its wall time limit of ${config.COMPILE_WALL_TIME_MS} ms`;
    case 'memory':
      return `compilation exceeded its memory limit of ${config.COMPILE_MEMORY_MB} MB`;
    case 'output':
      return `compilation produced more than ${config.COMPILE_OUTPUT_KB} KiB of output`;
  }
  if (run.signal !== null) return `compiler killed by signal ${signalName(run.signal)}`;
  if (run.exitCode !== 0) return `compilation failed (exit code ${run.exitCode})`;
  return null;
}
