import { Injectable } from '@nestjs/common';
import { JudgingConfig, SandboxConfig } from '@verdict/config';
import { Limits, OUTPUT_PREVIEW_BYTES } from '@verdict/contracts';
import { LanguageCommand, expandCommand } from '@verdict/languages';
import { PeerSpec, RunSpec, SANDBOX_BASE_ENV } from '@verdict/sandbox';

/** What one compilation may take. */
export interface CompileLimits {
  cpuTimeMs: number;
  wallTimeMs: number;
  memoryMb: number;
}

/** The bytes of a checker's message kept, and of its stdout (Kattis checkers may write a lot). */
export const CHECKER_MESSAGE_BYTES = 2048;

/**
 * Every run-spec judging hands the sandbox, built in one place: a compiler's, a submission's
 * test run, a problem checker's, an interactor's. Each takes its limits from its role (JudgingConfig)
 * and the sandbox settings (file size, open files, stack) from SandboxConfig, so no two runs of one role can
 * drift apart.
 */
@Injectable()
export class RunSpecs {
  constructor(
    private readonly judging: JudgingConfig,
    private readonly sandbox: SandboxConfig,
  ) {}

  /** A compiler (or a version command): its own limits, nothing on stdin. */
  compile(command: LanguageCommand, limits: CompileLimits): RunSpec {
    return {
      argv: command.command,
      env: { ...SANDBOX_BASE_ENV, ...command.env },
      stdinPath: null,
      cpuTimeMs: limits.cpuTimeMs,
      wallTimeMs: limits.wallTimeMs,
      memoryKb: limits.memoryMb * 1024,
      stackKb: 0,
      ...this.files(),
      stdoutMaxBytes: this.judging.COMPILE_OUTPUT_KB * 1024,
      stderrMaxBytes: this.judging.COMPILE_OUTPUT_KB * 1024,
    };
  }

  /** A submission's run of one test: its run command with the limits expanded into it. */
  submission(run: LanguageCommand, limits: Limits, stdinPath: string | null): RunSpec {
    const memoryKb = limits.memoryMb * 1024;
    const command = expandCommand(run, { memoryMb: limits.memoryMb });
    return {
      argv: command.command,
      env: { ...SANDBOX_BASE_ENV, ...command.env },
      stdinPath,
      // The harness stops a run at the limit plus the re-run margin; classifyRun holds it to the limit.
      cpuTimeMs: Math.ceil(limits.cpuTimeMs * (1 + this.judging.TIME_LIMIT_RERUN_MARGIN_PCT / 100)),
      wallTimeMs: limits.wallTimeMs,
      memoryKb,
      stackKb: this.sandbox.SANDBOX_STACK_MB > 0 ? this.sandbox.SANDBOX_STACK_MB * 1024 : memoryKb,
      ...this.files(),
      stdoutMaxBytes: limits.outputKb * 1024,
      stderrMaxBytes: OUTPUT_PREVIEW_BYTES,
    };
  }

  /** A problem's checker program (CHECKER_* limits). */
  checker(argv: string[], env: Record<string, string> | undefined, stdinPath: string | null): RunSpec {
    const c = this.judging;
    return {
      argv,
      env: { ...SANDBOX_BASE_ENV, ...env },
      stdinPath,
      cpuTimeMs: c.CHECKER_CPU_TIME_MS,
      wallTimeMs: c.CHECKER_WALL_TIME_MS,
      memoryKb: c.CHECKER_MEMORY_MB * 1024,
      stackKb: c.CHECKER_MEMORY_MB * 1024,
      ...this.files(),
      stdoutMaxBytes: CHECKER_MESSAGE_BYTES * 32,
      stderrMaxBytes: CHECKER_MESSAGE_BYTES,
    };
  }

  /** A problem's interactor beside the submission (INTERACTOR_* limits; its wall limit is the submission's plus a grace). */
  interactor(argv: string[], env: Record<string, string> | undefined, submissionWallTimeMs: number): PeerSpec {
    const c = this.judging;
    return {
      argv,
      env: { ...SANDBOX_BASE_ENV, ...env },
      cpuTimeMs: c.INTERACTOR_CPU_TIME_MS,
      wallTimeMs: submissionWallTimeMs + c.INTERACTOR_WALL_GRACE_MS,
      memoryKb: c.INTERACTOR_MEMORY_MB * 1024,
      stackKb: c.INTERACTOR_MEMORY_MB * 1024,
      ...this.files(),
      stderrMaxBytes: OUTPUT_PREVIEW_BYTES,
    };
  }

  private files(): Pick<RunSpec, 'fsizeKb' | 'nofile'> {
    return { fsizeKb: this.sandbox.SANDBOX_FSIZE_MB * 1024, nofile: this.sandbox.SANDBOX_NOFILE };
  }
}
