import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WebhookSigningConfig, loadConfig } from '@verdict/config';
import { Logger } from 'nestjs-pino';
import { WebhookDelivererModule } from './webhook-deliverer.module';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';

/**
 * Creates and starts a webhook deliverer (no HTTP server); used by main.ts (`--webhook-deliverer`),
 * by the API in WEBHOOK_DELIVERY_MODE=api, and by the end-to-end tests. Refuses to start without
 * WEBHOOK_SECRET: it could sign nothing.
 */
export async function startWebhookDeliverer(env: NodeJS.ProcessEnv = process.env): Promise<INestApplicationContext> {
  if (!loadConfig(WebhookSigningConfig, env).webhooksEnabled()) {
    throw new Error('a webhook deliverer needs WEBHOOK_SECRET (generate one: echo "whsec_$(openssl rand -base64 32)")');
  }
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
