import { Injectable, Logger } from '@nestjs/common';
import { SubmissionPolicyConfig, WorkerConfig } from '@verdict/config';
import { LanguageCatalog, LanguageVersionReading, LanguageVersions, applyLanguageLimits } from '@verdict/languages';
import { RuntimeImagePins, SandboxPool } from '@verdict/sandbox';
import { SandboxSpecs } from './sandbox-specs';
import { LanguageSelfTest } from './language-self-test';

/**
 * What a worker does before it takes its first job: refuse to judge with runtime images other than
 * the pinned ones (RuntimeImagesNotReadyError stops the start); judge every language's self-test
 * and read its version from the image (LanguageSelfTestError stops the start) while sandboxes for
 * every language are pre-started at the default limits, so the first submissions do not wait for
 * containers either; then publish the versions read for GET /v1/languages.
 */
@Injectable()
export class PrepareJudging {
  private readonly logger = new Logger(PrepareJudging.name);

  constructor(
    private readonly languages: LanguageCatalog,
    private readonly images: RuntimeImagePins,
    private readonly pool: SandboxPool,
    private readonly specs: SandboxSpecs,
    private readonly policy: SubmissionPolicyConfig,
    private readonly versions: LanguageVersions,
    private readonly selfTest: LanguageSelfTest,
    private readonly worker: WorkerConfig,
  ) {}

  async execute(): Promise<void> {
    const languages = this.languages.list();
    const imageIds = await this.images.verify(languages.map((language) => language.image));
    const defaults = this.policy.defaultLimits();
    const started = Date.now();
    const [checked, warmed] = await Promise.allSettled([
      this.selfTest.execute(languages),
      this.pool.warm(languages.map((language) => this.specs.forSubmission(language, applyLanguageLimits(defaults, language).memoryMb))),
    ]);
    if (checked.status === 'rejected') throw checked.reason;
    if (warmed.status === 'rejected') throw warmed.reason;

    const checkedAt = new Date().toISOString();
    const readings = new Map<string, LanguageVersionReading>();
    for (const language of languages) {
      readings.set(language.id, {
        version: checked.value.get(language.id)!,
        image: language.image,
        imageId: imageIds[language.image],
        checkedAt,
        workerId: this.worker.WORKER_ID,
      });
    }
    await this.versions.publish(readings);
    this.logger.log(
      `runtime images verified and self-tests passed for ${languages.length} languages in ${Date.now() - started} ms ` +
        `(${[...readings].map(([id, r]) => `${id}: ${r.version}`).join('; ')}); ${this.pool.idleCount} sandboxes pre-started`,
    );
  }
}
