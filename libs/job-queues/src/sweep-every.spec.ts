import { sweepEvery } from './sweep-every';

describe('sweepEvery', () => {
  it('sweeps again after a failed pass, reporting it, until aborted', async () => {
    const stop = new AbortController();
    const failures: string[] = [];
    let passes = 0;
    await sweepEvery(
      1,
      stop.signal,
      async () => {
        passes++;
        if (passes === 2) throw new Error('Redis is down');
        if (passes === 3) stop.abort();
      },
      (error) => failures.push(error.message),
    );
    expect(passes).toBe(3);
    expect(failures).toEqual(['Redis is down']);
  });

  it('does not sweep once aborted', async () => {
    const stop = new AbortController();
    stop.abort();
    const sweep = jest.fn(async () => undefined);
    await sweepEvery(60000, stop.signal, sweep, () => undefined);
    expect(sweep).not.toHaveBeenCalled();
  });
});
