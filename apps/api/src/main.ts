// Telemetry first: its instrumentations patch http, express and ioredis as they are first required.
import { startTelemetry, stopTelemetry } from '@verdict/telemetry';
startTelemetry('verdict-api');

import { Logger } from '@nestjs/common';
import { startApi } from './api.bootstrap';

async function main(): Promise<void> {
  const app = await startApi();
  new Logger('Api').log(`listening on ${await app.getUrl()}`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, async () => {
      await app.close();
      await stopTelemetry();
      process.exit(0);
    });
  }
}

main().catch((error: Error) => {
  // Configuration errors are written for people: print them as they are.
  console.error(error.message);
  process.exit(1);
});
