import { Controller, Get } from '@nestjs/common';
import { LanguageCatalog, LanguageVersions } from '@verdict/languages';

@Controller('v1/languages')
export class LanguagesController {
  constructor(
    private readonly catalog: LanguageCatalog,
    private readonly versions: LanguageVersions,
  ) {}

  /**
   * The catalog, with each language's version as a worker read it from the runtime image when one
   * has (`versionSource: "image"`), else as the catalog says (`"catalog"`). A reading of another
   * image than the one the catalog names now is not this language's and is not used.
   */
  @Get()
  async list() {
    const readings = await this.versions.read();
    return this.catalog.list().map((l) => {
      const reading = readings.get(l.id);
      const fromImage = reading?.image === l.image ? reading : undefined;
      return {
        id: l.id,
        name: l.name,
        version: fromImage?.version ?? l.version,
        versionSource: fromImage ? 'image' : 'catalog',
        versionCheck: fromImage ? { imageId: fromImage.imageId, checkedAt: fromImage.checkedAt, workerId: fromImage.workerId } : null,
        sourceFile: l.sourceFile,
        compileCommand: l.compile?.command ?? null,
        runCommand: l.run.command,
      };
    });
  }
}
