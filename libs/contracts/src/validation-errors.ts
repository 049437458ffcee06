import { ValidationError } from 'class-validator';
import { DomainError } from './domain-error';
import { FieldError } from './problem-details';

/**
 * One FieldError per failed class-validator constraint, with the field's full path in the notation
 * every error of the API uses (`tests[0].input`, `limits.cpuTimeMs`) and a message that starts with it.
 */
export function validationFieldErrors(errors: ValidationError[], parentPath = ''): FieldError[] {
  return errors.flatMap((error) => {
    // A numeric property is an array item: the DTOs validate no map with numeric keys.
    const path = !parentPath ? error.property : /^\d+$/.test(error.property) ? `${parentPath}[${error.property}]` : `${parentPath}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field: path,
      message: message.startsWith(error.property) ? `${path}${message.slice(error.property.length)}` : `${path}: ${message}`,
    }));
    return [...own, ...validationFieldErrors(error.children ?? [], path)];
  });
}

/** The messages alone, one per failed constraint (for logs and for failures no HTTP client sees). */
export function describeValidationErrors(errors: ValidationError[]): string[] {
  return validationFieldErrors(errors).map((e) => e.message);
}

/** A request body, query or path parameter that breaks its DTO's rules. */
export class RequestValidationError extends DomainError {
  readonly kind = 'invalid';

  constructor(errors: ValidationError[]) {
    super(validationFieldErrors(errors));
  }
}
