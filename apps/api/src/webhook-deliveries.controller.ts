import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ListSubmissionDeliveries, RedeliverSubmissionWebhook, RedeliveryStarted, SubmissionDeliveries } from '@verdict/webhooks';

/** A submission's webhook deliveries: every try of each, and a redelivery on request. */
@Controller('v1/submissions/:id/deliveries')
export class WebhookDeliveriesController {
  constructor(
    private readonly listDeliveries: ListSubmissionDeliveries,
    private readonly redeliver: RedeliverSubmissionWebhook,
  ) {}

  @Get()
  list(@Param('id') id: string): Promise<SubmissionDeliveries> {
    return this.listDeliveries.execute(id);
  }

  @Post('redeliver')
  @HttpCode(202)
  redeliverLatest(@Param('id') id: string): Promise<RedeliveryStarted> {
    return this.redeliver.execute(id);
  }
}
