import { IsInt, Matches, Min } from 'class-validator';

/**
 * Webhook event ids, as receivers see them in `webhook-id`: `msg_` and letters, digits, `_` or `-`
 * (they are also BullMQ job ids: no ':').
 */
export const WEBHOOK_EVENT_ID_PATTERN = /^msg_[A-Za-z0-9_-]{1,200}$/;

/**
 * A job of the webhook delivery queue: deliver one stored event. The event (its body, URL and
 * trace) is in the delivery record, not in the job, so every try and every redelivery sends the same
 * bytes under the same id.
 */
export class WebhookDeliveryJobPayload {
  @Matches(WEBHOOK_EVENT_ID_PATTERN, { message: 'eventId must be a webhook event id (msg_...)' })
  eventId!: string;

  /** 0 for the delivery that followed the event, 1, 2, ... for each redelivery asked for since. */
  @IsInt() @Min(0)
  run!: number;
}
