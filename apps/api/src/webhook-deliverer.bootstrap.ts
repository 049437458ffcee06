import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WebhookDelivererModule } from './webhook-deliverer.module';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';

/**
 * Creates and starts a webhook deliverer (no HTTP server); used by main.ts (`--webhook-deliverer`),
 * by the API in WEBHOOK_DELIVERY_MODE=api, and by the end-to-end tests. Tenants' webhooks are signed
 * with their own secrets; WEBHOOK_SECRET is needed only for an admin key's (its absence refuses
 * their callbackUrl at submission).
 */
export async function startWebhookDeliverer(env: NodeJS.ProcessEnv = process.env): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WebhookDelivererModule.forRoot(env), { bufferLogs: true, abortOnError: false });
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
