import { IsOptional, IsString } from 'class-validator';

export class LanguagesConfig {
  /** A JSON file with the language catalog; empty = the catalog built into @verdict/languages. */
  @IsOptional() @IsString()
  LANGUAGES_FILE: string = '';
}
