import { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { RPCMetadata, RPCType, setRPCMetadata } from '@opentelemetry/core';
import Fastify from 'fastify';
import { nameRequestSpansByRoute } from './request-span-names';

describe('nameRequestSpansByRoute', () => {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(manager.enable()));
  afterAll(() => context.disable());

  async function serve(path: string, metadata?: RPCMetadata) {
    const fastify = Fastify();
    nameRequestSpansByRoute(fastify);
    fastify.get('/v1/submissions/:id', async () => ({ ok: true }));
    await fastify.ready();
    // As the http instrumentation runs a request: in a context carrying its server span's metadata.
    const start = metadata ? setRPCMetadata(ROOT_CONTEXT, metadata) : ROOT_CONTEXT;
    // inject() starts the request when awaited: awaited inside the context, as a request is served.
    const response = await context.with(start, async () => await fastify.inject({ method: 'GET', url: path }));
    await fastify.close();
    return response.statusCode;
  }

  it("gives the request's server span its route template, never the path with its ids", async () => {
    const metadata: RPCMetadata = { type: RPCType.HTTP, span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT) };
    expect(await serve('/v1/submissions/0198c0de-aaaa-7bbb-8ccc-123456789abc', metadata)).toBe(200);
    expect(metadata.route).toBe('/v1/submissions/:id');
  });

  it('leaves a request no route matched without a route (its path is anybody\'s)', async () => {
    const metadata: RPCMetadata = { type: RPCType.HTTP, span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT) };
    expect(await serve('/v1/nothing-here', metadata)).toBe(404);
    expect(metadata.route).toBeUndefined();
  });

  it('does nothing with telemetry off (no span metadata in the context)', async () => {
    expect(await serve('/v1/submissions/1')).toBe(200);
  });
});
