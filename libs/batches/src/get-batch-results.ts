import { Injectable } from '@nestjs/common';
import { BatchResultsPage, DEFAULT_PAGE_LIMIT, Requester, SubmissionView } from '@verdict/contracts';
import { SubmissionStore } from '@verdict/submissions';
import { BatchNotFoundError } from './batch-errors';
import { BatchStore } from './batch-store';

/** Members read per round trip when the whole batch is streamed. */
const STREAM_PAGE = 500;

/**
 * GET /v1/batches/:id/results: the members' public views (SubmissionStore.publicViews, so hidden
 * tests are cut to each problem's feedback level) in batch order, a page at a time (the cursor is
 * the position of the next member), or all of them as a stream. Expired members are left out.
 */
@Injectable()
export class GetBatchResults {
  constructor(
    private readonly batches: BatchStore,
    private readonly submissions: SubmissionStore,
  ) {}

  async execute(id: string, requester: Requester, cursor: string | undefined, limit = DEFAULT_PAGE_LIMIT): Promise<BatchResultsPage> {
    const batch = await this.batches.getFor(id, requester);
    if (!batch) throw new BatchNotFoundError();
    const start = cursor === undefined ? 0 : Number(cursor);
    const ids = await this.batches.members(id, start, limit);
    const items = (await this.submissions.publicViews(ids)).filter((view): view is SubmissionView => view !== null);
    const next = start + ids.length;
    return { items, nextCursor: next < batch.total ? String(next) : null };
  }

  /** Every member's public view in batch order; throws BatchNotFoundError before yielding anything. */
  async stream(id: string, requester: Requester): Promise<AsyncIterable<SubmissionView>> {
    const batch = await this.batches.getFor(id, requester);
    if (!batch) throw new BatchNotFoundError();
    const { batches, submissions } = this;
    return (async function* () {
      for (let start = 0; start < batch.total; start += STREAM_PAGE) {
        for (const view of await submissions.publicViews(await batches.members(id, start, STREAM_PAGE))) if (view) yield view;
      }
    })();
  }
}
