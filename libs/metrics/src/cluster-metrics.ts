import cluster from 'node:cluster';
import { AggregatorRegistry, Registry } from 'prom-client';

/**
 * API_PROCESSES > 1 runs several API processes on one port (node:cluster): a scrape reaches one of
 * them at random, so each answers with every process's metrics combined, as one instance. The
 * process scraped asks the primary; the primary asks every process (prom-client's
 * AggregatorRegistry, over the cluster's IPC channel) and combines them by each metric's
 * aggregator: counts and histograms summed, the queue gauges (one fact read by all) their max.
 */
const SCRAPE = 'verdict:metrics:scrape';
const SCRAPED = 'verdict:metrics:scraped';
/** Past prom-client's own 5 s for gathering the processes' metrics. */
const SCRAPE_TIMEOUT_MS = 6000;

interface ScrapeMessage {
  type: typeof SCRAPE;
  id: number;
}

interface ScrapedMessage {
  type: typeof SCRAPED;
  id: number;
  text?: string;
  error?: string;
}

/** In the primary of the API's processes: answers each process's scrape with all of theirs combined. */
export function serveClusterScrapes(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: Partial<ScrapeMessage>) => {
    if (message?.type !== SCRAPE || message.id === undefined) return;
    const id = message.id;
    const reply = (answer: Omit<ScrapedMessage, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: SCRAPED, id, ...answer } satisfies ScrapedMessage);
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (error: Error) => reply({ error: error.message }),
    );
  });
}

/**
 * In an API process of a cluster: lets the primary read `registries` (prom-client answers its
 * requests), and returns the scrape that asks the primary for every process's metrics combined.
 */
export function joinClusterScrapes(registries: Registry[]): () => Promise<string> {
  AggregatorRegistry.setRegistries(registries);
  // Its constructor is what makes this process answer the primary's requests.
  new AggregatorRegistry();
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let next = 0;
  process.on('message', (message: Partial<ScrapedMessage>) => {
    if (message?.type !== SCRAPED || message.id === undefined) return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiting?.reject(new Error(`the API processes' metrics could not be gathered: ${message.error}`));
    else waiting?.resolve(message.text ?? '');
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
      process.send!({ type: SCRAPE, id } satisfies ScrapeMessage);
    });
}
