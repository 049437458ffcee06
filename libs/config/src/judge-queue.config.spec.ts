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

describe('JudgeQueueConfig: fair sharing', () => {
  it('defaults to equal weights, no lookahead and a one-second heartbeat', () => {
    const config = loadConfig(JudgeQueueConfig, {});
    expect(config.weights()).toEqual({});
    expect(config.JUDGE_DISPATCH_LOOKAHEAD).toBe(0);
    expect(config.JUDGE_DISPATCH_INTERVAL_MS).toBe(1000);
  });

  it('reads tenant weights', () => {
    expect(loadConfig(JudgeQueueConfig, { FAIR_SHARE_WEIGHTS: 'contest-site=3,course-2=12' }).weights()).toEqual({ 'contest-site': 3, 'course-2': 12 });
  });

  it.each(['ab=0', 'ab=1,', 'ab', 'ab=1000', 'Ab=1', 'ab=2,', '=3'])('refuses the weights %p, saying what they must be', (value) => {
    expect(() => loadConfig(JudgeQueueConfig, { FAIR_SHARE_WEIGHTS: value })).toThrow(ConfigValidationError);
    expect(() => loadConfig(JudgeQueueConfig, { FAIR_SHARE_WEIGHTS: value })).toThrow(/FAIR_SHARE_WEIGHTS must be tenant=weight pairs/);
  });
});
