// Telemetry first: its instrumentations patch ioredis as it is first required.
import { startTelemetry, stopTelemetry } from '@verdict/telemetry';
startTelemetry('verdict-worker');

import { startWorker } from './worker.bootstrap';

async function main(): Promise<void> {
  const app = await startWorker();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, async () => {
      await app.close();
      await stopTelemetry();
      process.exit(0);
    });
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
