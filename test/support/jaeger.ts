import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, until } from './processes';
import { goToolPath } from './go-tools';

/** A span as Jaeger's query API returns it, with its service and its tags read into an object. */
export interface JaegerSpan {
  spanID: string;
  traceID: string;
  operationName: string;
  service: string;
  /** CHILD_OF: the parent; FOLLOWS_FROM: a link. */
  references: { refType: 'CHILD_OF' | 'FOLLOWS_FROM'; traceID: string; spanID: string }[];
  tags: Record<string, unknown>;
}

/**
 * A real Jaeger v2 (deploy/tools, built by deploy/verdict.sh) on free loopback ports with
 * deploy/observability/jaeger/jaeger.yaml: OTLP/HTTP in, traces in memory, read back through its
 * query API the way an operator's trace viewer reads them.
 */
export class Jaeger {
  private child: ChildProcess | null = null;
  private output = '';
  otlpUrl = '';
  private queryUrl = '';

  async start(): Promise<void> {
    const [otlp, query, grpc] = [await freePort(), await freePort(), await freePort()];
    this.otlpUrl = `http://127.0.0.1:${otlp}`;
    this.queryUrl = `http://127.0.0.1:${query}`;
    const config = join(__dirname, '..', '..', 'deploy', 'observability', 'jaeger', 'jaeger.yaml');
    const child = spawn(goToolPath('jaeger'), ['--config', `file:${config}`], {
      env: { ...process.env, JAEGER_OTLP_HTTP_PORT: String(otlp), JAEGER_QUERY_PORT: String(query), JAEGER_QUERY_GRPC_PORT: String(grpc) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (chunk) => (this.output = (this.output + chunk).slice(-8000)));
    child.stderr!.on('data', (chunk) => (this.output = (this.output + chunk).slice(-8000)));
    await until(async () => (await fetch(`${this.queryUrl}/api/services`)).ok, { child, what: `Jaeger's query API (${this.output})` });
  }

  /** The trace's spans once `complete` holds for them (spans arrive in export batches), else fails naming what it has. */
  async trace(traceId: string, complete: (spans: JaegerSpan[]) => boolean, timeoutMs = 30000): Promise<JaegerSpan[]> {
    let spans: JaegerSpan[] = [];
    await until(
      async () => {
        spans = await this.read(traceId);
        return complete(spans);
      },
      { child: this.child!, what: () => `trace ${traceId} complete (has: ${spans.map((s) => `${s.service}/${s.operationName}`).join(', ')})`, timeoutMs },
    );
    return spans;
  }

  /** The span names Jaeger has seen from `service`. */
  async operations(service: string): Promise<string[]> {
    const response = await fetch(`${this.queryUrl}/api/services/${encodeURIComponent(service)}/operations`);
    if (!response.ok) throw new Error(`Jaeger answered ${response.status} for the operations of ${service}`);
    return ((await response.json()) as { data: string[] | null }).data ?? [];
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  private async read(traceId: string): Promise<JaegerSpan[]> {
    const response = await fetch(`${this.queryUrl}/api/traces/${traceId}`);
    if (response.status === 404) return [];
    if (!response.ok) throw new Error(`Jaeger answered ${response.status} for trace ${traceId}`);
    const { data } = (await response.json()) as { data: { processes: Record<string, { serviceName: string }>; spans: (Omit<JaegerSpan, 'service' | 'tags'> & { processID: string; tags: { key: string; value: unknown }[] })[] }[] };
    return data.flatMap((trace) =>
      trace.spans.map((span) => ({
        spanID: span.spanID,
        traceID: span.traceID,
        operationName: span.operationName,
        references: span.references ?? [],
        service: trace.processes[span.processID]?.serviceName ?? '',
        tags: Object.fromEntries(span.tags.map((t) => [t.key, t.value])),
      })),
    );
  }
}
