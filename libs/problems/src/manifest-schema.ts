import { FieldError } from '@verdict/contracts';
import Ajv, { ErrorObject } from 'ajv';
import schema from './problem.schema.json';
import { MANIFEST_FILE } from './problem-version';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
// The human wording of a pattern, so errors say what is expected instead of printing a regex.
ajv.addKeyword({ keyword: 'x-rule', schemaType: 'string' });
const validateManifest = ajv.compile(schema);

/** `/subtasks/1/dependsOn/0` → `subtasks[1].dependsOn[0]`. */
export function fieldPath(instancePath: string, child?: string | number): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(String(child));
  return parts.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping of fields',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
};

function describe(error: ErrorObject): { field: string; message: string } | null {
  const field = fieldPath(error.instancePath);
  const rule = (error.parentSchema as { 'x-rule'?: string } | undefined)?.['x-rule'];
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      return null; // the failing branch reports the real problem
    case 'required':
      return { field: fieldPath(error.instancePath, params.missingProperty as string), message: 'is required' };
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      return {
        field: fieldPath(error.instancePath, params.additionalProperty as string),
        message: `unknown field${allowed.length ? ` (known: ${allowed.join(', ')})` : ''}`,
      };
    }
    case 'propertyNames':
      return { field: fieldPath(error.instancePath, params.propertyName as string), message: 'is not a language id' };
    case 'enum':
      return { field, message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')} (got ${JSON.stringify(error.data)})` };
    case 'type': {
      const types = String(params.type).split(',');
      return { field, message: `must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}` };
    }
    case 'pattern':
    case 'anyOf':
      return { field, message: `must be ${rule ?? error.message} (got ${JSON.stringify(error.data)})` };
    case 'minLength':
      return { field, message: params.limit === 1 ? 'must not be empty' : `must be at least ${params.limit} characters` };
    case 'minItems':
      return { field, message: `must have at least ${params.limit} item${params.limit === 1 ? '' : 's'}` };
    case 'maxItems':
      return { field, message: `must have at most ${params.limit} items` };
    case 'uniqueItems':
      return { field, message: `must not repeat an item (items ${params.j} and ${params.i} are equal)` };
    default:
      return { field, message: error.message ?? 'is invalid' };
  }
}

/**
 * Checks a manifest (problem.yaml, or the JSON body less `files`) against problem.schema.json.
 * Returns one problem per violation, its message naming the file and the field:
 * `problem.yaml: limits.memoryMb: must be an integer`.
 */
export function checkManifestShape(manifest: unknown): FieldError[] {
  if (validateManifest(manifest)) return [];
  const errors = validateManifest.errors ?? [];
  // An anyOf reports each branch's failure too; its own rule says it better, once.
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath.replace(/\/anyOf$/, '')}/anyOf/`);
  const problems = errors
    .filter((e) => !anyOfs.some((prefix) => e.schemaPath.startsWith(prefix)))
    .map(describe)
    .filter((d): d is { field: string; message: string } => d !== null)
    .map(({ field, message }) => ({ field: field || null, message: `${MANIFEST_FILE}: ${field ? `${field}: ` : ''}${message}` }));
  return [...new Map(problems.map((p) => [p.message, p])).values()];
}
