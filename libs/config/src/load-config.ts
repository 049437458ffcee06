import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { describeValidationErrors } from '@verdict/contracts';

export class ConfigValidationError extends Error {
  constructor(readonly configName: string, readonly problems: string[]) {
    super(`Invalid configuration (${configName}):\n  - ${problems.join('\n  - ')}`);
  }
}

export type ConfigClass<T extends object = object> = new () => T;

const REDACTED = new WeakMap<object, Set<string | symbol>>();

/**
 * Marks a variable whose value is a secret (a key, a password): when it is refused, the message
 * says how long the value was instead of showing it, so the secret stays out of start-up logs.
 */
export function Redacted(): PropertyDecorator {
  return (target, property) => {
    REDACTED.set(target, new Set([...(REDACTED.get(target) ?? []), property]));
  };
}

function shown(cls: ConfigClass, property: string, value: unknown): string {
  if (REDACTED.get(cls.prototype)?.has(property) && typeof value === 'string') return `a secret of ${value.length} characters, not shown`;
  return JSON.stringify(value);
}

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
    const problems = describeValidationErrors(errors).map((problem) => {
      const variable = problem.split(/[ :]/)[0];
      return `${problem} (got ${shown(cls, variable, raw[variable])})`;
    });
    throw new ConfigValidationError(cls.name, problems);
  }
  return Object.freeze(config);
}
