import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { METRICS_CHALLENGE, bearerTokenAllows } from './bearer-token';
import { MetricsRegistry } from './metrics-registry';

/** A readiness check's answer: 200 when ready, else 503; the body in terminus's shape ({ status, info, error, details }). */
export interface ReadinessAnswer {
  status: 200 | 503;
  body: unknown;
}

export interface ProcessHttpListenerOptions {
  /** Who listens, for the log line that names the port bound ("worker", "webhook deliverer"). */
  name: string;
  host: string;
  /** 0: any free port (`listen` returns the one bound). */
  port: number;
  metrics: MetricsRegistry;
  /** Set: GET /metrics needs `Authorization: Bearer <it>` (METRICS_BEARER_TOKEN). */
  bearerToken: string | null;
  /** GET /readyz runs it; absent, the process has no /readyz. */
  readiness?: () => Promise<ReadinessAnswer>;
}

/** The liveness answer: the process runs and answers, nothing more is asked (terminus's shape). */
const ALIVE = { status: 'ok', info: {}, error: {}, details: {} };

/**
 * The small HTTP listener of a process without an API (a worker, a webhook deliverer): GET
 * /metrics (Prometheus text), /healthz (200 while the process runs) and, when given a readiness
 * check, /readyz (200 ready, 503 naming each failing check). node:http and nothing else: it serves
 * a scraper and probes, a few requests a minute. As a Nest provider (an app's subclass giving its
 * options) it listens from the application's bootstrap to its shutdown.
 */
export class ProcessHttpListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private server: Server | null = null;

  constructor(private readonly options: ProcessHttpListenerOptions) {
    this.logger = new Logger(`${ProcessHttpListener.name}(${options.name})`);
  }

  /** Starts listening; the port bound. */
  async listen(): Promise<number> {
    const server = createServer((request, response) => {
      this.answer(request, response).catch((error: Error) => {
        this.logger.error(`answering ${request.method} ${request.url} failed: ${error.message}`);
        if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
        else response.destroy();
      });
    });
    // Probes and scrapes come every few seconds: an idle connection is not worth keeping long.
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.logger.log(`${this.options.name} serving /metrics, /healthz${this.options.readiness ? ', /readyz' : ''} on http://${this.options.host}:${port}`);
    return port;
  }

  /** The port bound (the one chosen for port 0), or null before listening or after closing. */
  get port(): number | null {
    return this.server ? (this.server.address() as AddressInfo).port : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    const known = path === '/metrics' || path === '/healthz' || (path === '/readyz' && this.options.readiness !== undefined);
    if (!known) return send(response, 404, 'application/json', JSON.stringify({ error: `no ${path} here: GET /metrics, /healthz${this.options.readiness ? ', /readyz' : ''}` }));
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return send(response, 405, 'application/json', JSON.stringify({ error: `${request.method} is not allowed: GET ${path}` }));
    }
    if (path === '/healthz') return send(response, 200, 'application/json', JSON.stringify(ALIVE));
    if (path === '/readyz') {
      const { status, body } = await this.options.readiness!();
      return send(response, status, 'application/json', JSON.stringify(body));
    }
    if (!bearerTokenAllows(this.options.bearerToken, request.headers.authorization)) {
      response.setHeader('WWW-Authenticate', METRICS_CHALLENGE);
      return send(response, 401, 'application/json', JSON.stringify({ error: 'GET /metrics needs Authorization: Bearer <METRICS_BEARER_TOKEN>' }));
    }
    const { contentType, text } = await this.options.metrics.exposition();
    send(response, 200, contentType, text);
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
