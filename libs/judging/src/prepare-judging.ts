import { Injectable, Logger } from '@nestjs/common';
import { SubmissionPolicyConfig } from '@verdict/config';
import { LanguageCatalog, applyLanguageLimits } from '@verdict/languages';
import { RuntimeImagePins, SandboxPool } from '@verdict/sandbox';
import { JudgeSubmission } from './judge-submission';

/**
 * What a worker does before it takes its first job: refuse to judge with runtime images other than
 * the pinned ones (RuntimeImagesNotReadyError stops the start), then pre-start sandboxes for every
 * language at the default limits, so the first submissions do not wait for containers either.
 */
@Injectable()
export class PrepareJudging {
  private readonly logger = new Logger(PrepareJudging.name);

  constructor(
    private readonly languages: LanguageCatalog,
    private readonly images: RuntimeImagePins,
    private readonly pool: SandboxPool,
    private readonly judge: JudgeSubmission,
    private readonly policy: SubmissionPolicyConfig,
  ) {}

  async execute(): Promise<void> {
    const languages = this.languages.list();
    await this.images.verify(languages.map((language) => language.image));
    const defaults = {
      cpuTimeMs: this.policy.DEFAULT_CPU_TIME_MS,
      wallTimeMs: this.policy.DEFAULT_WALL_TIME_MS,
      memoryMb: this.policy.DEFAULT_MEMORY_MB,
      outputKb: this.policy.DEFAULT_OUTPUT_KB,
    };
    await this.pool.warm(languages.map((language) => this.judge.sandboxSpec(language, applyLanguageLimits(defaults, language).memoryMb)));
    this.logger.log(`runtime images verified for ${languages.length} languages; ${this.pool.idleCount} sandboxes pre-started`);
  }
}
