import { Injectable } from '@nestjs/common';
import { ApiConfig } from '@verdict/config';
import { DomainError, Requester, SubmissionView, canAccess, isTerminalStatus } from '@verdict/contracts';
import { LanguageCatalog } from '@verdict/languages';
import { ProgressEvent, eventsAfter, progressEvents } from './submission-progress';
import { SubmissionStore } from './submission-store';
import { SubmissionUpdates } from './submission-updates';
import { Wakeup } from './wakeup';

/** No such submission, or it has expired. */
export class SubmissionNotFoundError extends DomainError {
  readonly kind = 'not-found';
  constructor() {
    super('submission not found');
  }
}

/** A quiet interval on a live-progress stream: a comment keeps proxies from closing it. */
export const HEARTBEAT = 'heartbeat';

/**
 * Live progress of one submission: its events so far (after `Last-Event-ID`), then each new one as
 * any replica applies it, a heartbeat in quiet intervals (with a re-read, in case a wake-up was
 * lost), ending after the final event or when the client leaves (`signal`). Every event goes
 * through the public view, so hidden tests show only what the problem's feedback level allows.
 */
@Injectable()
export class FollowSubmission {
  constructor(
    private readonly store: SubmissionStore,
    private readonly updates: SubmissionUpdates,
    private readonly languages: LanguageCatalog,
    private readonly config: ApiConfig,
  ) {}

  /** Throws SubmissionNotFoundError before anything is streamed, so the client gets a 404. */
  async execute(submissionId: string, requester: Requester, lastEventId: string | undefined, signal: AbortSignal): Promise<AsyncGenerator<ProgressEvent | typeof HEARTBEAT>> {
    const view = await this.store.publicView(submissionId);
    if (!view || !canAccess(requester, view.tenantId)) throw new SubmissionNotFoundError();
    return this.stream(view, lastEventId, signal);
  }

  private async *stream(first: SubmissionView, lastEventId: string | undefined, signal: AbortSignal): AsyncGenerator<ProgressEvent | typeof HEARTBEAT> {
    const compiles = Boolean(this.languages.get(first.language)?.compile);
    const wakeup = new Wakeup();
    const unfollow = this.updates.follow(first.id, () => wakeup.wake());
    try {
      let view: SubmissionView | null = first;
      let last = lastEventId;
      while (view) {
        for (const event of eventsAfter(progressEvents(view, compiles), last)) {
          yield event;
          last = event.id;
        }
        if (isTerminalStatus(view.status)) return;
        const why = await wakeup.wait(this.config.SSE_HEARTBEAT_MS, signal);
        if (why === 'aborted') return;
        if (why === 'timeout') yield HEARTBEAT;
        view = await this.store.publicView(first.id);
      }
    } finally {
      unfollow();
    }
  }
}
