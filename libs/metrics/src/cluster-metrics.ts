import cluster, { Worker } from 'node:cluster';
import { AggregatorRegistry, MetricObjectWithValues, MetricValue, Registry } from 'prom-client';

/**
 * API_PROCESSES > 1 runs several API processes on one port (node:cluster): a scrape reaches one of
 * them at random, so each answers with every process's metrics combined, as one instance. The
 * process scraped asks the primary; the primary asks every process that listens (one still
 * starting has no metrics yet and is not waited for) and combines their metrics with prom-client's
 * `AggregatorRegistry.aggregate`, by each metric's aggregator: counts and histograms summed, the
 * queue gauges (one fact read by all) their max, the build info once.
 */
const SCRAPE = 'verdict:metrics:scrape';
const SCRAPED = 'verdict:metrics:scraped';
const COLLECT = 'verdict:metrics:collect';
const COLLECTED = 'verdict:metrics:collected';
/** A process that does not answer in this time fails the scrape (a partial sum would look like a counter reset). */
const COLLECT_TIMEOUT_MS = 5000;
/** The scraped process's wait for the primary: past its collection's own bound. */
const SCRAPE_TIMEOUT_MS = COLLECT_TIMEOUT_MS + 1000;

type Metrics = MetricObjectWithValues<MetricValue<string>>[];

type Message =
  | { type: typeof SCRAPE; id: number }
  | { type: typeof SCRAPED; id: number; text?: string; error?: string }
  | { type: typeof COLLECT; id: number }
  | { type: typeof COLLECTED; id: number; metrics: Metrics };

/** In the primary of the API's processes: answers each process's scrape with all of theirs combined. */
export function serveClusterScrapes(): void {
  const listening = new Set<Worker>();
  cluster.on('listening', (worker) => listening.add(worker));
  cluster.on('exit', (worker) => listening.delete(worker));
  const collections = new Map<number, { waiting: number; metrics: Metrics[]; done: (error: Error | null) => void }>();
  let next = 0;

  const collect = (): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const workers = [...listening].filter((worker) => worker.isConnected());
      const timer = setTimeout(() => finish(new Error(`not every API process answered within ${COLLECT_TIMEOUT_MS} ms`)), COLLECT_TIMEOUT_MS);
      const collection = { waiting: workers.length, metrics: [] as Metrics[], done: (error: Error | null) => finish(error) };
      const finish = (error: Error | null) => {
        if (!collections.delete(id)) return;
        clearTimeout(timer);
        if (error) return reject(error);
        try {
          AggregatorRegistry.aggregate(collection.metrics).metrics().then(resolve, reject);
        } catch (failure) {
          reject(failure as Error);
        }
      };
      collections.set(id, collection);
      for (const worker of workers) worker.send({ type: COLLECT, id } satisfies Message);
      if (workers.length === 0) finish(null);
    });

  cluster.on('message', (worker, message: Message) => {
    if (message?.type === COLLECTED) {
      const collection = collections.get(message.id);
      if (!collection) return;
      collection.metrics.push(message.metrics);
      if (--collection.waiting === 0) collection.done(null);
    } else if (message?.type === SCRAPE) {
      const reply = (answer: { text?: string; error?: string }) => {
        if (worker.isConnected()) worker.send({ type: SCRAPED, id: message.id, ...answer } satisfies Message);
      };
      collect().then(
        (text) => reply({ text }),
        (error: Error) => reply({ error: error.message }),
      );
    }
  });
}

/**
 * In an API process of a cluster: answers the primary's collections with `registries`' metrics,
 * and returns the scrape that asks the primary for every process's metrics combined.
 */
export function joinClusterScrapes(registries: Registry[]): () => Promise<string> {
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let next = 0;
  process.on('message', (message: Message) => {
    if (message?.type === COLLECT) {
      Promise.all(registries.map((registry) => registry.getMetricsAsJSON())).then(
        (metrics) => process.send!({ type: COLLECTED, id: message.id, metrics: metrics.flat() } satisfies Message),
        // Unanswered, the primary's collection times out and the scrape fails, as it should.
        () => undefined,
      );
    } else if (message?.type === SCRAPED) {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(`the API processes' metrics could not be gathered: ${message.error}`));
      else waiting?.resolve(message.text ?? '');
    }
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the primary process did not answer a scrape within ${SCRAPE_TIMEOUT_MS} ms`));
      }, SCRAPE_TIMEOUT_MS);
      pending.set(id, {
        resolve: (text) => (clearTimeout(timer), resolve(text)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      process.send!({ type: SCRAPE, id } satisfies Message);
    });
}
