import { Injectable } from '@nestjs/common';
import { JudgingConfig, SandboxConfig } from '@verdict/config';
import { LanguageDefinition } from '@verdict/languages';
import { SandboxSpec } from '@verdict/sandbox';

/**
 * The sandboxes judging needs. A container's cgroup limit is only a backstop (the harness enforces
 * each run's own limit): it must fit the largest run, plus the tmpfs pages, which the memory cgroup
 * counts too.
 */
@Injectable()
export class SandboxSpecs {
  constructor(
    private readonly sandbox: SandboxConfig,
    private readonly judging: JudgingConfig,
  ) {}

  /** For a submission: compile and run, and beside it, for interactive problems, the interactor (`peerMb`). */
  forSubmission(language: LanguageDefinition, memoryLimitMb: number, peerMb = 0): SandboxSpec {
    const largest = Math.max(memoryLimitMb + peerMb, language.compile ? this.judging.COMPILE_MEMORY_MB : 0);
    return { image: language.image, runtime: language.runtime, memoryMb: this.withFiles(largest) };
  }

  /** A submission's sandbox once compiled: its runs (and the interactor's) only. */
  forRuns(memoryLimitMb: number, peerMb = 0): number {
    return this.withFiles(memoryLimitMb + peerMb);
  }

  private withFiles(programsMb: number): number {
    const c = this.sandbox;
    return programsMb + c.SANDBOX_WORK_MB + c.SANDBOX_TMP_MB + c.SANDBOX_INPUT_MB + c.SANDBOX_HEADROOM_MB;
  }

  /** For a problem's checker: one test's input, answer and output at a time in a larger private area. */
  forChecker(language: LanguageDefinition): SandboxSpec {
    const { sandbox: s, judging: j } = this;
    return {
      image: language.image,
      runtime: language.runtime,
      privateAreaMb: j.CHECKER_DATA_MB,
      memoryMb: Math.max(j.CHECKER_MEMORY_MB, j.COMPILE_MEMORY_MB) + s.SANDBOX_WORK_MB + s.SANDBOX_TMP_MB + j.CHECKER_DATA_MB + s.SANDBOX_HEADROOM_MB,
    };
  }
}
