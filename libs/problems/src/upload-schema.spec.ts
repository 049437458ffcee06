import { problemUploadSchema } from './upload-schema';

/** Every (keyword, value) pair of a schema and of the schemas in it, however deep. */
function* keywordsOf(schema: unknown): Generator<[string, unknown]> {
  if (Array.isArray(schema)) for (const item of schema) yield* keywordsOf(item);
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return;
  for (const [keyword, value] of Object.entries(schema)) {
    yield [keyword, value];
    if (keyword === 'properties') for (const property of Object.values(value as object)) yield* keywordsOf(property);
    else if (['items', 'additionalProperties', 'not', 'anyOf', 'allOf', 'oneOf'].includes(keyword)) yield* keywordsOf(value);
  }
}

describe('problemUploadSchema', () => {
  const schema = problemUploadSchema() as { properties: Record<string, any>; required: string[] };

  it('speaks OpenAPI 3.0: no draft-07 keyword, boolean schema, type list or numeric exclusiveMinimum is left', () => {
    for (const [keyword, value] of keywordsOf(schema)) {
      expect(['$ref', '$schema', '$id', 'definitions', 'if', 'then', 'else', 'propertyNames']).not.toContain(keyword);
      if (keyword === 'type') expect(typeof value).toBe('string');
      if (keyword === 'exclusiveMinimum') expect(value).toBe(true);
    }
    for (const property of Object.values(schema.properties)) expect(typeof property).toBe('object');
  });

  it("keeps the manifest's fields and rules, and adds the files map", () => {
    expect(schema.required).toEqual(['title', 'tests']);
    expect(schema.properties.title).toMatchObject({ type: 'string', maxLength: 200 });
    expect(schema.properties.checker.properties.language).toMatchObject({ type: 'string', pattern: '^[a-z][a-z0-9+_-]{0,31}$' });
    expect(schema.properties.limitMultipliers.additionalProperties.properties.cpuTime).toMatchObject({ minimum: 0, exclusiveMinimum: true });
    // A test is {glob} or {input, ...}: the if/then/else as both branches.
    const [glob, single] = schema.properties.tests.items.allOf[0].anyOf;
    expect(glob.allOf[1].properties.glob).toMatchObject({ type: 'string' });
    expect(single.allOf[1]).toMatchObject({ required: ['input'], additionalProperties: false });
    expect(single.allOf[1].properties.name.anyOf).toEqual([{ type: 'string' }, { type: 'integer' }]);
    expect(schema.properties.files.additionalProperties.oneOf).toHaveLength(2);
  });
});
