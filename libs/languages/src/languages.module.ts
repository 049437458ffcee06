import { Module } from '@nestjs/common';
import { LanguagesConfig } from '@verdict/config';
import { RedisModule } from '@verdict/redis';
import { LanguageCatalog } from './language-catalog';
import { LanguageVersions } from './language-versions';

@Module({
  imports: [RedisModule],
  providers: [
    {
      provide: LanguageCatalog,
      inject: [LanguagesConfig],
      useFactory: (config: LanguagesConfig) => LanguageCatalog.load(config.LANGUAGES_FILE || undefined),
    },
    LanguageVersions,
  ],
  exports: [LanguageCatalog, LanguageVersions],
})
export class LanguagesModule {}
