import { Module } from '@nestjs/common';
import { LanguagesConfig } from '@verdict/config';
import { LanguageCatalog } from './language-catalog';

@Module({
  providers: [
    {
      provide: LanguageCatalog,
      inject: [LanguagesConfig],
      useFactory: (config: LanguagesConfig) => LanguageCatalog.load(config.LANGUAGES_FILE || undefined),
    },
  ],
  exports: [LanguageCatalog],
})
export class LanguagesModule {}
