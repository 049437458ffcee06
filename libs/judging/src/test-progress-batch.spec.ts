import { TestResult } from '@verdict/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { TestProgressBatch } from './test-progress-batch';

const test = (index: number) => ({ index }) as TestResult;

describe('TestProgressBatch', () => {
  it('sends the first test at once and batches the ones that follow within the interval', async () => {
    const sent: number[][] = [];
    const batch = new TestProgressBatch(50, async (tests) => void sent.push(tests.map((t) => t.index)));
    await batch.add(test(0));
    await batch.add(test(1));
    await batch.add(test(2));
    expect(sent).toEqual([[0]]);
    await sleep(80);
    expect(sent).toEqual([[0], [1, 2]]);
    await batch.finish();
  });

  it('drops what waits at the end (the final event has every test) and reports a failed send', async () => {
    const sent: number[][] = [];
    let fail = false;
    const batch = new TestProgressBatch(1000, async (tests) => {
      if (fail) throw new Error('Redis is down');
      sent.push(tests.map((t) => t.index));
    });
    await batch.add(test(0));
    await batch.add(test(1));
    await batch.finish();
    expect(sent).toEqual([[0]]);

    fail = true;
    const failing = new TestProgressBatch(0, async () => {
      throw new Error('Redis is down');
    });
    await failing.add(test(0));
    await expect(failing.finish()).rejects.toThrow('Redis is down');
  });
});
