import { join } from 'node:path';
import { EXAMPLE_PROBLEMS, jsonPackageOf } from './support/problem-packages';
import { VerdictStack } from './support/verdict-stack';

/** `{"tests": [[...]]}` or `{"a": {"a": ...}}` with `depth` levels of nesting in all, as raw JSON. */
function nestedBody(shape: 'array' | 'object', depth: number): string {
  return shape === 'array' ? `{"tests":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}` : `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
}

const PROBLEM = 'https://verdict.dev/problems/';

/** Every kind of bad request gets an RFC 9457 problem naming what is wrong, and the API keeps serving. */
describe('bad input', () => {
  const stack = new VerdictStack({ MAX_TESTS: '5', API_BODY_LIMIT_BYTES: String(1024 * 1024) });
  const valid = { language: 'python', source: 'print(1)\n', tests: [{ input: '', expectedOutput: '1\n' }] };

  beforeAll(() => stack.start({ worker: false }));
  afterAll(() => stack.stop());

  const cases: [string, unknown, string, RegExp][] = [
    ['an unknown language', { ...valid, language: 'cobol' }, 'language', /language "cobol" is not supported; supported: python, cpp, go/],
    ['an empty source', { ...valid, source: '' }, 'source', /source must not be empty/],
    ['a source over 64 KiB', { ...valid, source: 'x'.repeat(64 * 1024 + 1) }, 'source', /source must be at most 65536 bytes/],
    ['a CPU limit above the bound', { ...valid, limits: { cpuTimeMs: 999999 } }, 'limits.cpuTimeMs', /limits.cpuTimeMs must be between 1 and 15000 \(got 999999\)/],
    ['a memory limit below the bound', { ...valid, limits: { memoryMb: 1 } }, 'limits.memoryMb', /limits.memoryMb must be between 16 and 2048 \(got 1\)/],
    ['a negative output limit', { ...valid, limits: { outputKb: -1 } }, 'limits.outputKb', /limits.outputKb must not be less than 1/],
    ['a fractional limit', { ...valid, limits: { wallTimeMs: 1.5 } }, 'limits.wallTimeMs', /limits.wallTimeMs must be an integer number/],
    ['more tests than allowed', { ...valid, tests: Array(6).fill(valid.tests[0]) }, 'tests', /tests must contain at most 5 tests \(got 6\)/],
    ['no tests', { ...valid, tests: [] }, 'tests', /tests must contain at least 1 elements/],
    ['a test without expected output', { ...valid, tests: [{ input: '' }] }, 'tests[0].expectedOutput', /tests\[0\].expectedOutput must be a string/],
    ['a non-string input', { ...valid, tests: [{ input: 5, expectedOutput: '' }] }, 'tests[0].input', /tests\[0\].input must be a string/],
    ['an unknown checker', { ...valid, checker: { type: 'regex' } }, 'checker.type', /checker.type must be one of: exact, tokens, float/],
    ['a negative float tolerance', { ...valid, checker: { type: 'float', absError: -1 } }, 'checker.absError', /checker.absError must not be less than 0/],
    ['an unknown field', { ...valid, priority: 'high' }, 'priority', /property priority should not exist/],
    ['a missing language', { source: 'x', tests: valid.tests }, 'language', /language must be a string/],
    ['a JSON array body', [valid], 'language', /language must be a string/],
  ];

  it.each(cases)('rejects %s with 400, naming the field', async (_name, body, field, message) => {
    const response = await stack.post('/v1/submissions', body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ type: `${PROBLEM}invalid-request`, title: 'Invalid request', status: 400, instance: '/v1/submissions' });
    expect(response.body.detail).toMatch(message);
    expect(response.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.stringMatching(message) }]));
  });

  it('answers as application/problem+json', async () => {
    const response = await fetch(`${stack.baseUrl}/v1/submissions`, { method: 'POST', headers: { 'content-type': 'application/json', ...stack.authHeaders() }, body: '{}' });
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  });

  it('reports every problem of a request at once', async () => {
    const response = await stack.post('/v1/submissions', { language: 'python', source: '', tests: [{ input: 1 }] });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'source', message: 'source must not be empty' },
        { field: 'tests[0].input', message: 'tests[0].input must be a string' },
        { field: 'tests[0].expectedOutput', message: 'tests[0].expectedOutput must be a string' },
      ]),
    );
  });

  it('rejects malformed JSON with 400', async () => {
    const response = await stack.post('/v1/submissions', '{"language": "python", "source": ');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ type: `${PROBLEM}malformed-json`, title: 'Malformed JSON', status: 400, instance: '/v1/submissions', detail: expect.stringMatching(/^malformed JSON body: /) });
  });

  it('rejects a body larger than API_BODY_LIMIT_BYTES with 413', async () => {
    const response = await stack.post('/v1/submissions', { ...valid, source: 'x'.repeat(2 * 1024 * 1024) });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ type: `${PROBLEM}too-large`, status: 413, detail: expect.stringMatching(/^the request body is larger than the \d+ bytes this endpoint takes$/) });
  });

  it('rejects a body that is not JSON with 415', async () => {
    const response = await stack.post('/v1/submissions', 'print(1)', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ type: `${PROBLEM}unsupported-media-type`, status: 415, detail: 'send the request body as application/json (got text/plain)' });
  });

  it('answers an unknown route 404 in the same shape', async () => {
    const response = await stack.get('/v1/nothing-here?x=1');
    expect({ status: response.status, body: response.body }).toEqual({ status: 404, body: { type: `${PROBLEM}not-found`, title: 'Not found', status: 404, detail: 'Cannot GET /v1/nothing-here?x=1', instance: '/v1/nothing-here' } });
  });

  describe.each(['/v1/submissions', '/v1/problems'])('a body nested 3,000 deep on %s', (path) => {
    it.each(['array', 'object'] as const)('is a 400 naming the bound (%s nesting)', async (shape) => {
      const response = await stack.post(path, nestedBody(shape, 3000));
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        type: `${PROBLEM}invalid-request`,
        title: 'Invalid request',
        status: 400,
        detail: 'request body is nested deeper than 64 levels (API_MAX_JSON_DEPTH)',
        instance: path,
      });
    });
  });

  it('lets a body nested exactly to the bound through to validation', async () => {
    const atBound = await stack.post('/v1/submissions', JSON.stringify({ ...valid, extra: JSON.parse(nestedBody('object', 63)) }));
    expect(atBound.status).toBe(400);
    expect(atBound.body.errors).toEqual([{ field: 'extra', message: 'extra: property extra should not exist' }]);
    const overBound = await stack.post('/v1/submissions', JSON.stringify({ ...valid, extra: JSON.parse(nestedBody('object', 64)) }));
    expect(overBound.body.detail).toBe('request body is nested deeper than 64 levels (API_MAX_JSON_DEPTH)');
  });

  it('accepts the deepest legitimate bodies: a package with subtasks, dependencies and multipliers', async () => {
    const body = await jsonPackageOf(join(EXAMPLE_PROBLEMS, 'array-sum'), { id: 'deep-enough' });
    expect(body.subtasks).toEqual(expect.arrayContaining([expect.objectContaining({ dependsOn: ['small'] })]));
    expect((await stack.post('/v1/problems', body)).status).toBe(201);
  });

  it('answers 404 for an unknown or malformed submission id', async () => {
    const unknown = await stack.get('/v1/submissions/00000000-0000-4000-8000-000000000000');
    expect({ status: unknown.status, body: unknown.body }).toEqual({
      status: 404,
      body: { type: `${PROBLEM}not-found`, title: 'Not found', status: 404, detail: 'submission not found', instance: '/v1/submissions/00000000-0000-4000-8000-000000000000' },
    });
    expect((await stack.get('/v1/submissions/not-an-id')).body).toMatchObject({ type: `${PROBLEM}not-found`, status: 404 });
  });

  it('keeps serving after all of that', async () => {
    expect((await stack.get('/v1/health')).body).toEqual({ status: 'ok' });
    expect((await stack.post('/v1/submissions', valid)).status).toBe(202);
  });
});
