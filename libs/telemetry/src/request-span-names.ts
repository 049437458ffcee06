import { RPCType, getRPCMetadata } from '@opentelemetry/core';
import { context } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';

/**
 * Names each incoming request's server span by its route template (`GET /v1/submissions/:id`) and
 * sets its `http.route`, as the framework instrumentations do, so that a trace viewer groups
 * requests by endpoint without a second span per request (the NestJS instrumentation's, turned off
 * in startTelemetry for what it costs). The http instrumentation reads the route from the request's
 * context when it ends the span. Add it before the routes are registered. With telemetry off there
 * is no such context and it does nothing.
 */
export function nameRequestSpansByRoute(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const metadata = getRPCMetadata(context.active());
    const route = request.routeOptions.url;
    if (metadata?.type === RPCType.HTTP && route !== undefined) metadata.route = route;
    done();
  });
}
