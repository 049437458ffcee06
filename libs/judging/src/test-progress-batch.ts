import { TestResult } from '@verdict/contracts';

/**
 * Collects judged tests into progress events: the first test after a quiet interval goes out at
 * once, later ones wait until the interval since the last event has passed, so progress stays that
 * fresh while a submission of many fast tests costs a few stream entries, not one per test. `finish`
 * drops what is still waiting: the final event carries every test anyway.
 */
export class TestProgressBatch {
  private waiting: TestResult[] = [];
  private lastSentAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (tests: TestResult[]) => Promise<void>,
  ) {}

  /** Resolves at once; a failed send surfaces at `finish`. */
  async add(test: TestResult): Promise<void> {
    this.waiting.push(test);
    const due = this.lastSentAt + this.intervalMs - Date.now();
    if (due <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), due);
  }

  /** Stops batching; throws if a progress event could not be sent (Redis trouble). */
  async finish(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.waiting = [];
    await this.sending;
    if (this.failure) throw this.failure;
  }

  private flush(): void {
    this.timer = null;
    const tests = this.waiting.splice(0);
    if (tests.length === 0) return;
    this.lastSentAt = Date.now();
    this.sending = this.sending
      .then(() => this.send(tests))
      .catch((error: Error) => {
        this.failure ??= error;
      });
  }
}
