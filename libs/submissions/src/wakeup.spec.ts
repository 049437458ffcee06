import { Wakeup } from './wakeup';

describe('Wakeup', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('a wake while nobody waits is kept for the next wait, once', async () => {
    const wakeup = new Wakeup();
    wakeup.wake();
    await expect(wakeup.wait(1000)).resolves.toBe('woken');
    const second = wakeup.wait(1000);
    await jest.advanceTimersByTimeAsync(1000);
    await expect(second).resolves.toBe('timeout');
  });

  it('a wait ends at the next wake', async () => {
    const wakeup = new Wakeup();
    const waiting = wakeup.wait(60_000);
    wakeup.wake();
    await expect(waiting).resolves.toBe('woken');
  });

  it('a wait ends when its signal aborts, and at once if it already has', async () => {
    const wakeup = new Wakeup();
    const abort = new AbortController();
    const waiting = wakeup.wait(60_000, abort.signal);
    abort.abort();
    await expect(waiting).resolves.toBe('aborted');
    await expect(wakeup.wait(60_000, abort.signal)).resolves.toBe('aborted');
  });
});
