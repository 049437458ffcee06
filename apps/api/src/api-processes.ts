import { Logger } from '@nestjs/common';
import { serveClusterScrapes } from '@verdict/metrics';
import cluster, { Worker } from 'node:cluster';

/**
 * API_PROCESSES > 1: this (primary) process runs that many API processes on one port (node:cluster
 * hands each connection to one of them), one per core, as many replicas would be; each is its own
 * result-stream consumer. The primary only supervises: a process that fails to start ends it all
 * (a configuration error), one that dies later is started again, and SIGTERM/SIGINT stop them all.
 * It also gathers their metrics for whichever of them is scraped (GET /metrics answers for all).
 */
export function superviseApiProcesses(count: number, resultStreamConsumer: string): void {
  const logger = new Logger('ApiProcesses');
  // Set once stopping: the code the supervisor exits with when its last API process has exited.
  let stopping: number | undefined;
  serveClusterScrapes();
  const fork = (index: number): void => {
    // Replicas of one consumer group each need a consumer name of their own.
    const worker = cluster.fork({ RESULT_STREAM_CONSUMER: `${resultStreamConsumer}-${index}` });
    let listening = false;
    worker.once('listening', () => (listening = true));
    worker.once('exit', (code, signal) => onExit(worker, index, listening, code, signal));
  };
  const onExit = (worker: Worker, index: number, listening: boolean, code: number | null, signal: string | null): void => {
    if (stopping !== undefined) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(stopping);
      return;
    }
    if (!listening) {
      logger.error(`API process ${index} (pid ${worker.process.pid}) exited before it listened (code ${code}, signal ${signal}): stopping`);
      stop(1);
      return;
    }
    logger.warn(`API process ${index} (pid ${worker.process.pid}) exited (code ${code}, signal ${signal}): starting it again`);
    fork(index);
  };
  const stop = (exitCode: number): void => {
    // A signal while already stopping (after a failed start) keeps the failure's code.
    stopping = Math.max(stopping ?? 0, exitCode);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(stopping);
    for (const worker of workers) worker.process.kill('SIGTERM');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop(0));
  for (let index = 0; index < count; index++) fork(index);
  logger.log(`running ${count} API processes`);
}
