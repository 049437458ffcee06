import { BeforeApplicationShutdown, INestApplicationContext, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { WebhookDeliveryConfig } from '@verdict/config';
import { MetricsRegistry } from '@verdict/metrics';
import { startWebhookDeliverer } from './webhook-deliverer.bootstrap';

/** The environment the API was started with, for what it starts beside itself. */
export const API_ENV = Symbol('verdict:api-env');

/**
 * In WEBHOOK_DELIVERY_MODE=api, the API process runs a webhook deliverer too (every tenant's
 * webhooks can be signed, with its own secrets, so there may always be some to deliver): the same
 * module as a deliverer process of its own, with its own queue connections (a consumer's, which
 * wait out Redis outages), started and stopped with the API.
 */
@Injectable()
export class InProcessWebhookDeliverer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private deliverer: INestApplicationContext | null = null;

  constructor(
    @Inject(API_ENV) private readonly env: NodeJS.ProcessEnv,
    private readonly delivery: WebhookDeliveryConfig,
    private readonly metrics: MetricsRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // It records into the API's registry: its deliveries show on the API's /metrics.
    if (this.delivery.WEBHOOK_DELIVERY_MODE === 'api') this.deliverer = await startWebhookDeliverer(this.env, { metrics: this.metrics });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.deliverer?.close();
  }
}
