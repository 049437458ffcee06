import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MetricsRegistry } from '@verdict/metrics';
import { Logger } from 'nestjs-pino';
import { WebhookDelivererModule } from './webhook-deliverer.module';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';

/**
 * Creates and starts a webhook deliverer (no API); used by main.ts (`--webhook-deliverer`), by the
 * API in WEBHOOK_DELIVERY_MODE=api (passing its `metrics` registry), and by the end-to-end tests.
 * Without `metrics` it is a process of its own: its own metrics, served with /healthz by its small
 * HTTP listener (DELIVERER_HTTP_PORT). Tenants' webhooks are signed with their own secrets;
 * WEBHOOK_SECRET is needed only for an admin key's (its absence refuses their callbackUrl at submission).
 */
export async function startWebhookDeliverer(env: NodeJS.ProcessEnv = process.env, { metrics }: { metrics?: MetricsRegistry } = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WebhookDelivererModule.forRoot(env, metrics), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  await app.init();
  try {
    await app.get(WebhookDeliveryProcessor).start();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
