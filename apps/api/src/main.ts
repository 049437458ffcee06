// Telemetry first: its instrumentations patch http, fastify and ioredis as they are first required.
import { startTelemetry, stopTelemetry } from '@verdict/telemetry';
startTelemetry(process.argv.includes('--webhook-deliverer') ? 'verdict-webhook-deliverer' : 'verdict-api');

import { INestApplicationContext, Logger } from '@nestjs/common';
import { ApiConfig, ResultStreamConfig, loadConfig } from '@verdict/config';
import cluster from 'node:cluster';
import { startApi } from './api.bootstrap';
import { superviseApiProcesses } from './api-processes';
import { BOOTSTRAP_ADMIN_KEY_COMMAND, bootstrapAdminKey } from './bootstrap-admin-key.command';
import { startWebhookDeliverer } from './webhook-deliverer.bootstrap';

/**
 * The API, or with `--webhook-deliverer` a webhook deliverer only (no HTTP server): the same build,
 * so operators scale webhook delivery apart from the API (WEBHOOK_DELIVERY_MODE=separate). With
 * API_PROCESSES > 1 this process supervises that many API processes on one port.
 * `bootstrap-admin-key` runs that one-time command instead, and exits.
 */
async function main(): Promise<void> {
  if (process.argv[2] === BOOTSTRAP_ADMIN_KEY_COMMAND) {
    await bootstrapAdminKey(process.argv.slice(3));
    await stopTelemetry();
    return;
  }
  let app: INestApplicationContext;
  const deliverer = process.argv.includes('--webhook-deliverer');
  const processes = deliverer ? 1 : loadConfig(ApiConfig, process.env).API_PROCESSES;
  if (processes > 1 && cluster.isPrimary) {
    superviseApiProcesses(processes, loadConfig(ResultStreamConfig, process.env).RESULT_STREAM_CONSUMER);
    return;
  }
  if (deliverer) {
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
