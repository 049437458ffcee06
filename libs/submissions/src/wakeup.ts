/**
 * A wake-up that is not lost when it comes while nobody waits: `wait` returns at once if `wake`
 * was called since the last wait, else on the next `wake`, after `ms`, or when `signal` aborts.
 */
export class Wakeup {
  private pending = false;
  private resolve: ((why: 'woken') => void) | null = null;

  wake(): void {
    this.pending = true;
    this.resolve?.('woken');
  }

  async wait(ms: number, signal?: AbortSignal): Promise<'woken' | 'timeout' | 'aborted'> {
    if (signal?.aborted) return 'aborted';
    if (this.pending) {
      this.pending = false;
      return 'woken';
    }
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const why = await new Promise<'woken' | 'timeout' | 'aborted'>((resolve) => {
      this.resolve = resolve;
      timer = setTimeout(resolve, ms, 'timeout');
      onAbort = () => resolve('aborted');
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    this.resolve = null;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort!);
    // A wake that came after a timeout or an abort stays pending for the next wait.
    if (why === 'woken') this.pending = false;
    return why;
  }
}
