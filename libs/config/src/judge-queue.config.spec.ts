import { JudgeQueueConfig } from './judge-queue.config';
import { ConfigValidationError, loadConfig } from './load-config';

describe('JudgeQueueConfig: MAX_QUEUE_AGE_SECONDS', () => {
  it('bounds the queue age by default (an hour), unset or empty alike', () => {
    expect(loadConfig(JudgeQueueConfig, {}).MAX_QUEUE_AGE_SECONDS).toBe(3600);
    expect(loadConfig(JudgeQueueConfig, { MAX_QUEUE_AGE_SECONDS: '' }).MAX_QUEUE_AGE_SECONDS).toBe(3600);
    expect(loadConfig(JudgeQueueConfig, { MAX_QUEUE_AGE_SECONDS: '1' }).MAX_QUEUE_AGE_SECONDS).toBe(1);
  });

  it.each([['0 (no value turns the bound off)', '0'], ['a negative age', '-5'], ['a fraction', '1.5'], ['not a number', 'an hour']])('refuses %s at start-up, naming the variable', (_what, value) => {
    expect(() => loadConfig(JudgeQueueConfig, { MAX_QUEUE_AGE_SECONDS: value })).toThrow(ConfigValidationError);
    expect(() => loadConfig(JudgeQueueConfig, { MAX_QUEUE_AGE_SECONDS: value })).toThrow(/MAX_QUEUE_AGE_SECONDS/);
  });
});
