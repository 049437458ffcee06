// Telemetry first: its instrumentations patch http, fastify and ioredis as they are first required.
import { startTelemetry, stopTelemetry } from '@verdict/telemetry';
startTelemetry('verdict-api');

import { INestApplicationContext, Logger } from '@nestjs/common';
import { startApi } from './api.bootstrap';
import { startWebhookDeliverer } from './webhook-deliverer.bootstrap';

/**
 * The API, or with `--webhook-deliverer` a webhook deliverer only (no HTTP server): the same build,
 * so operators scale webhook delivery apart from the API (WEBHOOK_DELIVERY_MODE=separate).
 */
async function main(): Promise<void> {
  let app: INestApplicationContext;
  if (process.argv.includes('--webhook-deliverer')) {
    app = await startWebhookDeliverer();
    new Logger('WebhookDeliverer').log('delivering webhooks');
  } else {
    const api = await startApi();
    new Logger('Api').log(`listening on ${await api.getUrl()}`);
    app = api;
  }
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
