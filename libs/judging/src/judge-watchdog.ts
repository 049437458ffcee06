/** Judging one submission outlived its budget: the judge, not the code, is at fault; retry it. */
export class JudgingBudgetExceededError extends Error {}

/**
 * A last resort against a judge that hangs, whatever the cause (a harness, Docker, a bug of ours):
 * every exchange with a sandbox has a deadline of its own, and this bounds the whole submission.
 * The budget counts only time the judge spends judging: `excluding` stops the clock while it waits
 * for something that is not the submission's doing (a sandbox from the pool).
 */
export class JudgeWatchdog {
  private spentMs = 0;
  private runningSince: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private fired = false;
  private stopped = false;
  private readonly expiry: Promise<never>;
  private fire!: (error: JudgingBudgetExceededError) => void;

  constructor(
    readonly budgetMs: number,
    private readonly onExpire: () => void,
  ) {
    this.expiry = new Promise<never>((_, reject) => (this.fire = reject));
    // Nobody may be racing the expiry when it fires (the work is in an excluded wait).
    this.expiry.catch(() => undefined);
  }

  get expired(): boolean {
    return this.fired;
  }

  /** `work`, unless the budget runs out first: then the onExpire clean-up runs and this rejects. */
  guard<T>(work: Promise<T>): Promise<T> {
    // The work may still fail after the expiry won the race; that failure is expected and dropped.
    work.catch(() => undefined);
    return Promise.race([work, this.expiry]);
  }

  /** Starts (or resumes) the clock. */
  start(): void {
    if (this.runningSince !== null || this.fired || this.stopped) return;
    this.runningSince = Date.now();
    this.timer = setTimeout(() => this.expire(), Math.max(0, this.budgetMs - this.spentMs));
  }

  /** Stops the clock while `work` runs: time the judge spends waiting, not judging. */
  async excluding<T>(work: () => Promise<T>): Promise<T> {
    this.pause();
    try {
      return await work();
    } finally {
      this.start();
    }
  }

  stop(): void {
    this.pause();
    this.stopped = true;
  }

  private pause(): void {
    if (this.runningSince === null) return;
    clearTimeout(this.timer);
    this.spentMs += Date.now() - this.runningSince;
    this.runningSince = null;
  }

  private expire(): void {
    this.runningSince = null;
    this.fired = true;
    this.onExpire();
    this.fire(new JudgingBudgetExceededError(`judging did not finish within its budget of ${Math.round(this.budgetMs / 1000)} s; the judge stopped it`));
  }
}
