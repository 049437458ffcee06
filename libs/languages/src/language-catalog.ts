import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import builtInCatalog from './languages.json';
import { COMMAND_PLACEHOLDERS, unknownPlaceholders } from './language-command';
import { LanguageDefinition } from './language-definition';
import schema from './language.schema.json';

export class LanguageCatalogError extends Error {}

const validateCatalog = new Ajv({ allErrors: true, strict: true }).compile<LanguageDefinition[]>(schema);

/**
 * The languages this deployment judges. Each language is data (image, file name, commands, limit
 * adjustments) validated against language.schema.json; nothing in the worker branches on a language.
 */
export class LanguageCatalog {
  private readonly byId: ReadonlyMap<string, LanguageDefinition>;

  constructor(definitions: unknown, source = 'built-in catalog') {
    if (!validateCatalog(definitions)) {
      const problems = (validateCatalog.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
      throw new LanguageCatalogError(`Invalid language catalog (${source}):\n  - ${problems.join('\n  - ')}`);
    }
    const byId = new Map<string, LanguageDefinition>();
    for (const language of definitions) {
      if (byId.has(language.id)) throw new LanguageCatalogError(`Invalid language catalog (${source}): duplicate id "${language.id}"`);
      for (const [role, command] of [['compile', language.compile], ['run', language.run]] as const) {
        const unknown = command ? unknownPlaceholders(command) : [];
        if (unknown.length > 0) {
          const known = COMMAND_PLACEHOLDERS.map((name) => `{${name}}`).join(', ');
          throw new LanguageCatalogError(`Invalid language catalog (${source}): ${language.id}: ${role} command uses unknown placeholder ${unknown.map((name) => `{${name}}`).join(', ')} (known: ${known})`);
        }
      }
      byId.set(language.id, Object.freeze(language));
    }
    this.byId = byId;
  }

  /** The catalog from a JSON file, or the built-in one when no file is given. */
  static load(file?: string): LanguageCatalog {
    if (!file) return new LanguageCatalog(structuredClone(builtInCatalog));
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new LanguageCatalogError(`Cannot read language catalog ${file} (LANGUAGES_FILE): ${(error as Error).message}`);
    }
    return new LanguageCatalog(parsed, file);
  }

  get(id: string): LanguageDefinition | undefined {
    return this.byId.get(id);
  }

  list(): LanguageDefinition[] {
    return [...this.byId.values()];
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}
