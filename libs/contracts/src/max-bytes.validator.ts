import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';

/** Like @MaxLength, but counts UTF-8 bytes: limits protect storage and the sandbox, which see bytes. */
export function MaxBytes(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxBytes',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && Buffer.byteLength(value, 'utf8') <= max,
        defaultMessage: buildMessage((prefix) => `${prefix}$property must be at most $constraint1 bytes`, options),
      },
    },
    options,
  );
}
