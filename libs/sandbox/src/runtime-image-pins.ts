import { Inject, Injectable } from '@nestjs/common';
import { SandboxConfig } from '@verdict/config';
import Docker from 'dockerode';
import { readFile } from 'node:fs/promises';
import { DOCKER } from './sandbox-launcher';

export class RuntimeImagesNotReadyError extends Error {}

const BUILD_COMMAND = 'bash deploy/images/build.sh';

/**
 * Supply-chain check before a worker judges anyone: every runtime image it will use must exist and
 * be exactly the image that was built or approved (its image ID as recorded in the lock file that
 * deploy/images/build.sh writes), not whatever a tag happens to point at today.
 */
@Injectable()
export class RuntimeImagePins {
  constructor(
    @Inject(DOCKER) private readonly docker: Docker,
    private readonly config: SandboxConfig,
  ) {}

  /**
   * The image ID of each image, as verified. Throws RuntimeImagesNotReadyError listing every image
   * that is missing, unpinned or different.
   */
  async verify(images: string[]): Promise<Record<string, string>> {
    const lock = await this.readLock();
    const problems: string[] = [];
    const verified: Record<string, string> = {};
    for (const image of [...new Set(images)]) {
      const expected = lock[image];
      let actual: string;
      try {
        actual = (await this.docker.getImage(image).inspect()).Id;
      } catch (error) {
        const e = error as { statusCode?: number; message?: string };
        if (e.statusCode === 404) problems.push(`${image} does not exist`);
        else throw new RuntimeImagesNotReadyError(`cannot inspect runtime image ${image}: ${e.message ?? String(error)}`);
        continue;
      }
      if (!expected) problems.push(`${image} is not pinned in ${this.config.SANDBOX_IMAGE_LOCK_FILE}`);
      else if (actual !== expected) problems.push(`${image} is ${actual}, but ${expected} is pinned`);
      else verified[image] = actual;
    }
    if (problems.length > 0) {
      throw new RuntimeImagesNotReadyError(`runtime images are not as pinned:\n  - ${problems.join('\n  - ')}\nBuild them (and the lock) with: ${BUILD_COMMAND}`);
    }
    return verified;
  }

  private async readLock(): Promise<Record<string, string>> {
    const file = this.config.SANDBOX_IMAGE_LOCK_FILE;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new RuntimeImagesNotReadyError(
        `cannot read the runtime image lock ${file} (SANDBOX_IMAGE_LOCK_FILE): ${(error as Error).message}. Build the images and the lock with: ${BUILD_COMMAND}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new RuntimeImagesNotReadyError(`runtime image lock ${file} is not valid JSON: ${(error as Error).message}`);
    }
    const valid =
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && Object.values(parsed).every((id) => typeof id === 'string' && /^sha256:[0-9a-f]{64}$/.test(id));
    if (!valid) throw new RuntimeImagesNotReadyError(`runtime image lock ${file} must map image references to image IDs (sha256:<64 hex>)`);
    return parsed as Record<string, string>;
  }
}
