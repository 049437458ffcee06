import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import packageJson from '../../../package.json';
import { CATALOG, MetricDefinition, VerdictApp } from './catalog';
import { joinClusterScrapes } from './cluster-metrics';
import { TenantLabel } from './tenant-label';

let processDefaults: Registry | null = null;

/**
 * prom-client's process metrics (CPU, memory, event loop lag, GC, handles), once per process
 * whatever number of Nest applications it runs (the tests run an API and workers in one process):
 * each collector keeps a GC observer and an event-loop monitor, which must not multiply.
 */
function processMetrics(): Registry {
  if (!processDefaults) {
    processDefaults = new Registry();
    collectDefaultMetrics({ register: processDefaults });
  }
  return processDefaults;
}

/** A metric group: the typed metrics one part of the code records, registered once per registry. */
export type MetricGroupClass<T> = new (registry: MetricsRegistry) => T;

/**
 * One application's metrics: a prom-client registry holding the groups its program owns
 * (`APP_METRIC_GROUPS`), verdict_build_info, the capped tenant label, and the text exposition
 * (with the process metrics). In production one per process; the webhook deliverer running inside
 * the API process records into the API's.
 */
export class MetricsRegistry {
  readonly registry = new Registry();
  readonly tenants: TenantLabel;
  private readonly groups = new Map<MetricGroupClass<unknown>, unknown>();
  /** Set in an API process of a cluster: a scrape answers for every process (`combineAcrossCluster`). */
  private clusterScrape: (() => Promise<string>) | null = null;

  constructor(
    readonly app: VerdictApp,
    { tenantLabels = 20, version = packageJson.version }: { tenantLabels?: number; version?: string } = {},
  ) {
    this.tenants = new TenantLabel(tenantLabels);
    this.gauge(CATALOG.process.buildInfo).labels(app, version).set(1);
  }

  /** The group of this class, created (and its metrics registered) on first use. */
  group<T>(type: MetricGroupClass<T>): T {
    let group = this.groups.get(type) as T | undefined;
    if (!group) {
      group = new type(this);
      this.groups.set(type, group);
    }
    return group;
  }

  counter<L extends string>(definition: MetricDefinition<L>): Counter<L> {
    return new Counter<L>({ name: definition.name, help: definition.help, labelNames: definition.labels, registers: [this.registry], aggregator: definition.aggregator ?? 'sum' });
  }

  /** With `collect`, the gauge is set when scraped (prom-client awaits it). */
  gauge<L extends string>(definition: MetricDefinition<L>, collect?: (gauge: Gauge<L>) => void | Promise<void>): Gauge<L> {
    return new Gauge<L>({
      name: definition.name,
      help: definition.help,
      labelNames: definition.labels,
      registers: [this.registry],
      aggregator: definition.aggregator ?? 'sum',
      ...(collect && {
        collect(this: Gauge<L>) {
          return collect(this);
        },
      }),
    });
  }

  histogram<L extends string>(definition: MetricDefinition<L>): Histogram<L> {
    return new Histogram<L>({ name: definition.name, help: definition.help, labelNames: definition.labels, buckets: [...definition.buckets!], registers: [this.registry], aggregator: definition.aggregator ?? 'sum' });
  }

  /**
   * In one of several API processes sharing a port (a node:cluster worker, API_PROCESSES > 1): from
   * now on a scrape of this process answers for all of them, combined by the primary
   * (`serveClusterScrapes`), since the scraper cannot choose which process it reaches.
   */
  combineAcrossCluster(): void {
    this.clusterScrape ??= joinClusterScrapes([this.registry, processMetrics()]);
  }

  /** The Prometheus text exposition of this application's metrics and the process's (or, in a cluster, every API process's). */
  async exposition(): Promise<{ contentType: string; text: string }> {
    if (this.clusterScrape) return { contentType: this.registry.contentType, text: await this.clusterScrape() };
    const [own, process] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return { contentType: this.registry.contentType, text: `${own}\n${process}` };
  }
}

/**
 * Children of a labelled metric by their label values, made once: `labels(...)` builds a label
 * object on every call, which the hot paths (every HTTP request) need not pay for.
 */
export class LabelledChildren<C> {
  private readonly children = new Map<string, C>();

  constructor(private readonly make: (...values: string[]) => C) {}

  of(...values: string[]): C {
    const key = values.join('\u0000');
    let child = this.children.get(key);
    if (!child) {
      child = this.make(...values);
      this.children.set(key, child);
    }
    return child;
  }
}
