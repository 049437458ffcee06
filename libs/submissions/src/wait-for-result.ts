import { Injectable } from '@nestjs/common';
import { ApiConfig } from '@verdict/config';
import { SubmissionView, isTerminalStatus } from '@verdict/contracts';
import { SubmissionStore } from './submission-store';
import { SubmissionUpdates } from './submission-updates';
import { Wakeup } from './wakeup';

/**
 * The bounded wait of POST /v1/submissions?wait=true: the submission's final public view if it is
 * ready within SUBMISSION_WAIT_MAX_MS, else null. It waits on wake-ups from the replica that applies
 * the results, not by polling; the record is read once more at the deadline, in case one was lost.
 */
@Injectable()
export class WaitForResult {
  constructor(
    private readonly store: SubmissionStore,
    private readonly updates: SubmissionUpdates,
    private readonly config: ApiConfig,
  ) {}

  async execute(submissionId: string, signal?: AbortSignal): Promise<SubmissionView | null> {
    const deadline = Date.now() + this.config.SUBMISSION_WAIT_MAX_MS;
    const wakeup = new Wakeup();
    // Followed before the first read: a result applied in between still wakes us.
    const unfollow = this.updates.follow(submissionId, () => wakeup.wake());
    try {
      for (;;) {
        const view = await this.store.publicView(submissionId);
        if (view && isTerminalStatus(view.status)) return view;
        const left = deadline - Date.now();
        if (!view || left <= 0) return null;
        if ((await wakeup.wait(left, signal)) === 'aborted') return null;
      }
    } finally {
      unfollow();
    }
  }
}
