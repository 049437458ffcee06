import schema from './problem.schema.json';

type Schema = Record<string, unknown>;

const { $schema: _draft, $id: _id, definitions, ...manifest } = schema as unknown as Schema & { definitions: Record<string, Schema> };

/** Keywords whose value is one schema, or a list of them. */
const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'not']);
const SCHEMA_LIST_KEYWORDS = new Set(['anyOf', 'allOf', 'oneOf']);

/**
 * A draft-07 schema of problem.schema.json in the dialect of OpenAPI 3.0: `$ref`s to its definitions
 * inlined, `if`/`then`/`else` as the `anyOf` they mean, a list of types as `anyOf`, a numeric
 * `exclusiveMinimum` as `minimum` plus 3.0's boolean, boolean schemas as objects, and
 * `propertyNames` (3.0 has none) left out: upload validation still checks it.
 */
function toOpenApi30(node: unknown): Schema {
  if (node === true) return {};
  if (node === false) return { not: {} };
  const source = node as Schema;
  if (typeof source.$ref === 'string') return toOpenApi30(definitions[source.$ref.replace('#/definitions/', '')]);
  const { if: condition, then: whenTrue, else: whenFalse, propertyNames: _names, exclusiveMinimum, type, ...rest } = source;
  const converted: Schema = {};
  for (const [keyword, value] of Object.entries(rest)) {
    if (keyword === 'properties') converted[keyword] = Object.fromEntries(Object.entries(value as Schema).map(([name, property]) => [name, toOpenApi30(property)]));
    else if (SCHEMA_KEYWORDS.has(keyword) && typeof value === 'object') converted[keyword] = toOpenApi30(value);
    else if (SCHEMA_LIST_KEYWORDS.has(keyword)) converted[keyword] = (value as unknown[]).map(toOpenApi30);
    else converted[keyword] = value;
  }
  if (typeof exclusiveMinimum === 'number') Object.assign(converted, { minimum: exclusiveMinimum, exclusiveMinimum: true });
  if (Array.isArray(type)) converted.anyOf = type.map((t) => ({ type: t }));
  else if (type !== undefined) converted.type = type;
  if (condition === undefined) return converted;
  const branches = [{ allOf: [toOpenApi30(condition), toOpenApi30(whenTrue ?? true)] }, { allOf: [{ not: toOpenApi30(condition) }, toOpenApi30(whenFalse ?? true)] }];
  return { ...converted, allOf: [...((converted.allOf as Schema[]) ?? []), { anyOf: branches }] };
}

/**
 * The JSON form of a package upload as an OpenAPI 3.0 schema: problem.yaml's fields (from
 * problem.schema.json, their one definition) and the `files` map of problemPackageFromJson.
 */
export function problemUploadSchema(): Schema {
  const converted = toOpenApi30(manifest);
  return {
    ...converted,
    description: 'The problem.yaml document as JSON, plus its files (the package format: libs/problems/README.md).',
    properties: {
      ...(converted.properties as Schema),
      files: {
        type: 'object',
        description: 'Every file of the package by its path from the package root: UTF-8 text, or {"base64": "..."} for bytes.',
        additionalProperties: {
          oneOf: [{ type: 'string' }, { type: 'object', required: ['base64'], additionalProperties: false, properties: { base64: { type: 'string', format: 'byte' } } }],
        },
      },
    },
  };
}
