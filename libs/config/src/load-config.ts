import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { describeValidationErrors } from '@verdict/contracts';

export class ConfigValidationError extends Error {
  constructor(readonly configName: string, readonly problems: string[]) {
    super(`Invalid configuration (${configName}):\n  - ${problems.join('\n  - ')}`);
  }
}

export type ConfigClass<T extends object = object> = new () => T;

/**
 * Builds a typed config object from environment variables: each class property is named after its
 * variable (e.g. `API_PORT`), carries its default, and its class-validator rules. Empty variables
 * count as unset. Throws ConfigValidationError naming every bad variable, so start-up fails fast.
 */
export function loadConfig<T extends object>(cls: ConfigClass<T>, env: NodeJS.ProcessEnv = process.env): T {
  const defaults = new cls() as Record<string, unknown>;
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(cls, raw, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigValidationError(cls.name, describeValidationErrors(errors).map((p) => `${p} (got ${JSON.stringify(raw[p.split(/[ :]/)[0]])})`));
  }
  return Object.freeze(config);
}
