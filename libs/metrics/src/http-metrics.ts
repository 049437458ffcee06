import type { FastifyInstance } from 'fastify';
import { Counter, Histogram } from 'prom-client';
import { CATALOG } from './catalog';
import { LabelledChildren, MetricsRegistry } from './metrics-registry';

/** Methods a route can have; anything else (a client's invention) is one "other" series, not one each. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The route label of a request no route matched (404s): their paths are anybody's, so never a label. */
export const UNMATCHED_ROUTE = 'unmatched';

/** The API's requests: verdict_http_requests_total and verdict_http_request_duration_seconds. */
export class HttpMetrics {
  private readonly requests: LabelledChildren<Counter.Internal>;
  private readonly durations: LabelledChildren<Histogram.Internal<'method' | 'route'>>;

  constructor(registry: MetricsRegistry) {
    const requests = registry.counter(CATALOG.http.requests);
    const durations = registry.histogram(CATALOG.http.duration);
    this.requests = new LabelledChildren((method, route, status) => requests.labels(method, route, status));
    this.durations = new LabelledChildren((method, route) => durations.labels(method, route));
  }

  /** One answered request: `route` is the matched route's template (`/v1/submissions/:id`), undefined when none matched. */
  answered(method: string, route: string | undefined, status: number, seconds: number): void {
    const m = METHODS.has(method) ? method : 'other';
    const r = route ?? UNMATCHED_ROUTE;
    this.requests.of(m, r, String(status)).inc();
    this.durations.of(m, r).observe(seconds);
  }

  /**
   * Records every request the Fastify instance answers, once answered (onResponse: after the
   * reply is sent, off the request's own latency). Add it before the routes are registered (Nest
   * registers them on init/listen). Costs two map lookups and two additions per request.
   */
  instrument(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      this.answered(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }
}
