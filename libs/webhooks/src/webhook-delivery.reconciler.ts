import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { WebhookDeliveryConfig } from '@verdict/config';
import { WebhookDeliveryJobPayload } from '@verdict/contracts';
import { InjectJobQueue, JobQueue, WEBHOOK_DELIVERY_QUEUE, sweepEvery, webhookDeliveryJobId } from '@verdict/job-queues';
import { LossObservations, LostDeliveryJob, lossKey, lostDeliveryJob, lostTry } from './lost-delivery-job';
import { WebhookDeliveryStore } from './webhook-delivery-store';

/** What a sweep did with one pending delivery. */
export type ReconciledDelivery = 'ended' | 'alive' | 'seen-lost' | 'requeued' | 'dead-lettered';

/**
 * Puts back in the queue the pending deliveries whose job will never try them again, so a delivery
 * never stays `pending` for ever: DeliverWebhook ends a delivery itself (delivered, failed,
 * dead-lettered) and reschedules its own tries, but BullMQ fails a job around it when the job's
 * own tries (for faults of the process: Redis failing mid-try, an error of the handler) are used up
 * over its life, or when it stalled more than allowed (its deliverer died mid-try, twice: BullMQ
 * then fails it when next taken, without running the handler); and a job can be removed, cleaned,
 * drained, obliterated, or never queued (a redelivery stored, then the queue unreachable).
 *
 * A sweep every WEBHOOK_RECONCILE_INTERVAL_MS over the pending index of WebhookDeliveryStore, in
 * the API (every replica; each step is safe to repeat or to race):
 * - a job failed by BullMQ: the try it stands for is recorded (once per end of the job, whichever
 *   replica or sweep sees it: `recordLostTry`) as a try without an answer, so the schedule decides
 *   what follows; unless past the schedule (dead-lettered, so a job that fails every time ends),
 *   the job is replaced by a new one of the same id, the same event id and run, that waits until
 *   the next try is due. Acted on at once: BullMQ never takes a failed job up again by itself.
 * - no job, or a completed one (the delivery still pending under its run), on two sweeps in a row:
 *   a new job of the same id, waiting until the next try is due (the last try's nextAttemptAt).
 *
 * At least once, no more than that: the job id stays the event's and run's, so BullMQ holds at most
 * one job per run (adding one that exists adds nothing, and one held by a worker is never removed);
 * DeliverWebhook sends nothing for a delivery that has ended or whose run was replaced, so a job put
 * back needlessly (a race with the try that ended the delivery, a redelivery) sends nothing either.
 */
@Injectable()
export class WebhookDeliveryReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryReconciler.name);
  private readonly stopping = new AbortController();
  private readonly observations = new LossObservations();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly store: WebhookDeliveryStore,
    @InjectJobQueue(WEBHOOK_DELIVERY_QUEUE) private readonly queue: JobQueue<WebhookDeliveryJobPayload>,
    private readonly config: WebhookDeliveryConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.sweepLoop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private sweepLoop(): Promise<void> {
    return sweepEvery(this.config.WEBHOOK_RECONCILE_INTERVAL_MS, this.stopping.signal, () => this.sweep(), (error) =>
      this.logger.error(`sweeping pending webhook deliveries failed: ${error.message}`),
    );
  }

  /** One pass over the pending deliveries: what it did with each (ended ones leave the index). */
  async sweep(): Promise<Map<string, ReconciledDelivery>> {
    const done = new Map<string, ReconciledDelivery>();
    let cursor = '0';
    try {
      do {
        const page = await this.store.scanPending(cursor);
        cursor = page.cursor;
        const outcomes = await Promise.all(
          page.eventIds.map((eventId) =>
            this.reconcile(eventId).catch((error: Error) => {
              // One delivery that cannot be handled now holds up none of the others; the next sweep tries again.
              this.logger.error(`reconciling webhook delivery ${eventId} failed: ${error.message}`);
              return 'alive' as const;
            }),
          ),
        );
        page.eventIds.forEach((eventId, i) => done.set(eventId, outcomes[i]));
        await this.store.forgetEnded(page.eventIds.filter((_, i) => outcomes[i] === 'ended'));
      } while (cursor !== '0' && !this.stopping.signal.aborted);
    } finally {
      this.observations.endSweep();
    }
    return done;
  }

  private async reconcile(eventId: string): Promise<ReconciledDelivery> {
    const delivery = await this.store.stateOf(eventId);
    if (!delivery || delivery.state !== 'pending') return 'ended';
    const payload = { eventId, run: delivery.run };
    const jobId = webhookDeliveryJobId(payload);
    const loss = lostDeliveryJob(await this.queue.inspect(jobId));
    if (!loss) return 'alive';
    if (loss.kind === 'failed') {
      const triesBefore = (await this.store.attemptsOfRun(eventId, delivery.run)).length;
      const attempt = lostTry(loss, delivery.run, triesBefore, this.config.retryScheduleMs(), Date.now());
      const recorded = await this.store.recordLostTry(eventId, attempt, `${jobId}@${loss.finishedOn ?? 'unknown'}`);
      if (recorded) {
        this.logger.warn(`webhook ${eventId}: BullMQ failed its delivery job (${loss.failedReason}); recorded as try ${triesBefore + 1}, ${attempt.state === 'pending' ? `next at ${attempt.nextAttemptAt}` : 'dead-lettered'}`);
      }
      // Past the schedule: the delivery ended with that record (and left the pending index).
      if (attempt.state !== 'pending') return recorded ? 'dead-lettered' : 'alive';
    } else if (!this.observations.confirm(jobId, loss)) {
      return 'seen-lost';
    }
    return (await this.requeue(payload, jobId, loss)) ? 'requeued' : 'alive';
  }

  /**
   * Replaces the lost job by a new one of the same id, waiting until the run's next try is due: only
   * while the delivery is still pending under that run, and while the job is still the one seen lost
   * (not one queued since by another sweep, a replica, or an announcement). True when it queued one.
   */
  private async requeue(payload: WebhookDeliveryJobPayload, jobId: string, loss: LostDeliveryJob): Promise<boolean> {
    const delivery = await this.store.stateOf(payload.eventId);
    if (delivery?.state !== 'pending' || delivery.run !== payload.run) return false;
    const now = lostDeliveryJob(await this.queue.inspect(jobId));
    if (now === null || lossKey(now) !== lossKey(loss)) return false;
    // Not held by a worker (failed or completed): removed, so that its id can be queued again.
    if (now.kind !== 'gone' && !(await this.queue.removeUnstarted(jobId))) return false;
    const last = (await this.store.attemptsOfRun(payload.eventId, payload.run)).at(-1);
    const dueAt = last?.nextAttemptAt ? Date.parse(last.nextAttemptAt) : Date.now();
    await this.queue.enqueue(payload, { delayMs: Math.max(0, dueAt - Date.now()) });
    this.logger.warn(`webhook ${payload.eventId}: its delivery job was ${loss.kind === 'gone' ? 'gone from the queue' : loss.kind}; queued again (run ${payload.run}) for ${new Date(Math.max(dueAt, Date.now())).toISOString()}`);
    return true;
  }
}
