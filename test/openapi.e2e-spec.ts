import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { offlineOpenApiDocument, openApiFileContent } from '../apps/api/src/openapi';
import { VerdictStack } from './support/verdict-stack';

const COMMITTED = join(__dirname, '../docs/openapi.json');

/**
 * The OpenAPI document: made from the controllers and DTOs, committed as docs/openapi.json, served
 * by the API. `npm run openapi:export` runs the first test with OPENAPI_EXPORT=1 to write the file.
 */
describe('OpenAPI document', () => {
  it('docs/openapi.json is the document the code makes', async () => {
    const made = openApiFileContent(await offlineOpenApiDocument());
    if (process.env.OPENAPI_EXPORT === '1') {
      writeFileSync(COMMITTED, made);
      return;
    }
    const committed = existsSync(COMMITTED) ? readFileSync(COMMITTED, 'utf8') : '';
    if (committed !== made) throw new Error('docs/openapi.json is not the document the code makes: run `npm run openapi:export` and commit docs/openapi.json');
  });

  describe('as the API serves it', () => {
    // Made here, not when the file loads: `npm run openapi:export` runs no test of this block and must not connect to Redis.
    let stack: VerdictStack;

    beforeAll(async () => (stack = await new VerdictStack().start({ worker: false })));
    afterAll(() => stack?.stop());

    it('is at /openapi.json, the same document, with Swagger UI at /docs', async () => {
      const served = await stack.get('/openapi.json');
      expect(served.status).toBe(200);
      expect(served.body).toEqual(await offlineOpenApiDocument());
      const ui = await fetch(`${stack.baseUrl}/docs`);
      expect(ui.status).toBe(200);
      expect(ui.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await ui.text()).toMatch(/swagger-ui/i);
    });

    it('documents every operation with a response schema, an example and its problem+json errors', async () => {
      const { paths } = (await stack.get('/openapi.json')).body as { paths: Record<string, Record<string, any>> };
      const operations = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })));
      expect(operations.map((o) => o.name).sort()).toEqual(
        expect.arrayContaining(['DELETE /v1/problems/{id}', 'GET /v1/health', 'GET /v1/languages', 'GET /v1/problems', 'GET /v1/problems/{id}', 'GET /v1/problems/{id}/template', 'GET /v1/submissions/{id}', 'GET /v1/submissions/{id}/deliveries', 'POST /v1/problems', 'POST /v1/problems/{id}/versions', 'POST /v1/submissions', 'POST /v1/submissions/{id}/deliveries/redeliver']),
      );
      for (const { name, operation } of operations) {
        const responses = Object.entries(operation.responses as Record<string, any>);
        const success = responses.filter(([status]) => status.startsWith('2'));
        expect({ name, success: success.length > 0 }).toEqual({ name, success: true });
        for (const [status, ok] of success.filter(([status]) => status !== '204')) {
          const [media] = Object.values((ok.content ?? {}) as Record<string, any>);
          expect({ name, status, schema: !!media?.schema, example: !!(media?.example ?? media?.examples) }).toEqual({ name, status, schema: true, example: true });
        }
        const errors = responses.filter(([status]) => /^[45]/.test(status));
        expect({ name, errors: errors.length > 0 }).toEqual({ name, errors: true });
        for (const [, error] of errors) {
          expect(error.content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/ProblemDetails' });
          expect(Object.keys(error.content['application/problem+json'].examples).length).toBeGreaterThan(0);
        }
      }
    });
  });
});
