import { ResultEvent } from '@verdict/contracts';

/**
 * What the API does with each result event it reads off the stream (the submissions library applies
 * it to the submission's record). The consumer acknowledges an entry only once `handle` resolved, so
 * an event is handled at least once: a handler must be idempotent. A rejection leaves the entry
 * pending, to be handled again.
 */
export abstract class ResultEventHandler {
  abstract handle(event: ResultEvent): Promise<void>;
}
