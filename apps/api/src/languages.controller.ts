import { Controller, Get } from '@nestjs/common';
import { LanguageCatalog } from '@verdict/languages';

@Controller('v1/languages')
export class LanguagesController {
  constructor(private readonly catalog: LanguageCatalog) {}

  @Get()
  list() {
    return this.catalog.list().map((l) => ({
      id: l.id,
      name: l.name,
      version: l.version,
      sourceFile: l.sourceFile,
      compileCommand: l.compile?.command ?? null,
      runCommand: l.run.command,
    }));
  }
}
