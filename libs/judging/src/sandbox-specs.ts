import { Injectable } from '@nestjs/common';
import { SandboxConfig } from '@verdict/config';
import { LanguageDefinition } from '@verdict/languages';
import { SandboxSpec } from '@verdict/sandbox';

/**
 * The sandboxes judging needs. A container's cgroup limit is only a backstop (the harness enforces
 * each run's own limit): it must fit the largest run, plus the tmpfs pages, which the memory cgroup
 * counts too.
 */
@Injectable()
export class SandboxSpecs {
  constructor(private readonly config: SandboxConfig) {}

  /** For a submission: compile and run, and beside it, for interactive problems, the interactor (`peerMb`). */
  forSubmission(language: LanguageDefinition, memoryLimitMb: number, peerMb = 0): SandboxSpec {
    const largest = Math.max(memoryLimitMb + peerMb, language.compile ? this.config.COMPILE_MEMORY_MB : 0);
    return { image: language.image, runtime: language.runtime, memoryMb: this.withFiles(largest) };
  }

  /** A submission's sandbox once compiled: its runs (and the interactor's) only. */
  forRuns(memoryLimitMb: number, peerMb = 0): number {
    return this.withFiles(memoryLimitMb + peerMb);
  }

  private withFiles(programsMb: number): number {
    const c = this.config;
    return programsMb + c.SANDBOX_WORK_MB + c.SANDBOX_TMP_MB + c.SANDBOX_INPUT_MB + c.SANDBOX_HEADROOM_MB;
  }

  /** For a problem's checker: one test's input, answer and output at a time in a larger private area. */
  forChecker(language: LanguageDefinition): SandboxSpec {
    const c = this.config;
    return {
      image: language.image,
      runtime: language.runtime,
      privateAreaMb: c.CHECKER_DATA_MB,
      memoryMb: Math.max(c.CHECKER_MEMORY_MB, c.COMPILE_MEMORY_MB) + c.SANDBOX_WORK_MB + c.SANDBOX_TMP_MB + c.CHECKER_DATA_MB + c.SANDBOX_HEADROOM_MB,
    };
  }
}
