import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LanguageCatalog, LanguageVersions, LanguageView } from '@verdict/languages';
import { Scopes } from './access';
import { ApiProblemResponses } from './problem-responses';

@ApiTags('languages')
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
  @Scopes('read')
  @ApiOperation({ operationId: 'listLanguages', summary: 'The languages code can be judged in, with their versions and commands' })
  @ApiOkResponse({
    type: [LanguageView],
    example: [
      {
        id: 'python',
        name: 'Python 3',
        version: '3.11.2',
        versionSource: 'image',
        versionCheck: { imageId: 'sha256:5b0d1c6f2e8a4b7c9d3e1f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c', checkedAt: '2026-12-03T09:58:12.000Z', workerId: 'judge-7' },
        sourceFile: 'main.py',
        compileCommand: ['python3', '-m', 'py_compile', 'main.py'],
        runCommand: ['python3', 'main.py'],
      },
    ],
  })
  @ApiProblemResponses('/v1/languages')
  async list(): Promise<LanguageView[]> {
    const readings = await this.versions.read();
    return this.catalog.list().map((l) => {
      const reading = readings.get(l.id);
      const fromImage = reading?.image === l.image ? reading : undefined;
      return {
        id: l.id,
        name: l.name,
        version: fromImage?.version ?? l.version,
        versionSource: fromImage ? ('image' as const) : ('catalog' as const),
        versionCheck: fromImage ? { imageId: fromImage.imageId, checkedAt: fromImage.checkedAt, workerId: fromImage.workerId } : null,
        sourceFile: l.sourceFile,
        compileCommand: l.compile?.command ?? null,
        runCommand: l.run.command,
      };
    });
  }
}
