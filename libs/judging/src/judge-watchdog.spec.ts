import { JudgeWatchdog, JudgingBudgetExceededError } from './judge-watchdog';

describe('JudgeWatchdog', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A promise that settles only when told to. */
  function pending<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>((r) => (resolve = r));
    return { promise, resolve };
  }

  it('lets work that finishes within the budget through, and never fires afterwards', async () => {
    const onExpire = jest.fn();
    const watchdog = new JudgeWatchdog(1000, onExpire);
    watchdog.start();
    const work = pending<string>();
    const guarded = watchdog.guard(work.promise);
    jest.advanceTimersByTime(999);
    work.resolve('judged');
    await expect(guarded).resolves.toBe('judged');
    watchdog.stop();
    jest.advanceTimersByTime(10_000);
    expect(onExpire).not.toHaveBeenCalled();
    expect(watchdog.expired).toBe(false);
  });

  it('stops work that outlives the budget: the clean-up runs and the guard rejects', async () => {
    const onExpire = jest.fn();
    const watchdog = new JudgeWatchdog(1000, onExpire);
    watchdog.start();
    const guarded = watchdog.guard(new Promise<never>(() => undefined));
    jest.advanceTimersByTime(1000);
    await expect(guarded).rejects.toThrow(JudgingBudgetExceededError);
    await expect(guarded).rejects.toThrow('judging did not finish within its budget of 1 s');
    expect(onExpire).toHaveBeenCalledTimes(1);
    expect(watchdog.expired).toBe(true);
  });

  it('does not count time spent in an excluded wait (a sandbox from the pool)', async () => {
    const onExpire = jest.fn();
    const watchdog = new JudgeWatchdog(1000, onExpire);
    watchdog.start();
    const guarded = watchdog.guard(new Promise<never>(() => undefined));
    jest.advanceTimersByTime(600);
    const wait = pending<void>();
    const excluded = watchdog.excluding(() => wait.promise);
    jest.advanceTimersByTime(60_000);
    expect(onExpire).not.toHaveBeenCalled();
    wait.resolve();
    await excluded;
    jest.advanceTimersByTime(399);
    expect(onExpire).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(onExpire).toHaveBeenCalledTimes(1);
    await expect(guarded).rejects.toThrow(JudgingBudgetExceededError);
  });

  it('resumes the clock when an excluded wait fails', async () => {
    const onExpire = jest.fn();
    const watchdog = new JudgeWatchdog(1000, onExpire);
    watchdog.start();
    await expect(watchdog.excluding(() => Promise.reject(new Error('no sandbox')))).rejects.toThrow('no sandbox');
    jest.advanceTimersByTime(1000);
    expect(onExpire).toHaveBeenCalledTimes(1);
  });

  it('has nothing to reject when it fires with no work guarded', () => {
    const onExpire = jest.fn();
    const watchdog = new JudgeWatchdog(10, onExpire);
    watchdog.start();
    jest.advanceTimersByTime(10);
    // An unhandled rejection here would fail the run.
    expect(watchdog.expired).toBe(true);
  });
});
