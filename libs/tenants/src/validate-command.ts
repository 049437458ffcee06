import { RequestValidationError } from '@verdict/contracts';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/**
 * A use case's command checked against its class's rules, whoever calls it (a controller whose
 * pipe already did, a CLI, a spec): unknown fields and every broken rule refused at once with a
 * `RequestValidationError` (invalid) naming each field.
 */
export function validatedCommand<T extends object>(cls: ClassConstructor<T>, input: unknown): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RequestValidationError([{ property: 'command', constraints: { isObject: 'command must be an object' }, children: [] }]);
  }
  const command = plainToInstance(cls, { ...input });
  const errors = validateSync(command, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new RequestValidationError(errors);
  return command;
}
