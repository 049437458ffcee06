import { redisStatement } from './redis-statement';

describe('redisStatement', () => {
  const secretSource = 'print(input())  # a contestant\'s code';
  const hiddenTest = JSON.stringify({ input: '41 1\n', expectedOutput: '42\n' });

  it("shows a script's SHA and keys, never its arguments (a submission's source and tests)", () => {
    const statement = redisStatement('evalsha', ['a1b2c3', '2', '{p}:submission:1', '{p}:index', secretSource, hiddenTest]);
    expect(statement).toBe('EVALSHA a1b2c3 2 {p}:submission:1 {p}:index [2 other arguments]');
  });

  it("names an EVAL's script rather than showing its text", () => {
    expect(redisStatement('eval', ['return redis.call("GET", KEYS[1])', 1, 'k'])).toBe('EVAL [script] 1 k');
  });

  it('shows only the key of any other command', () => {
    expect(redisStatement('hset', ['{p}:submission:1', 'source', secretSource])).toBe('HSET {p}:submission:1 [2 other arguments]');
    expect(redisStatement('xadd', ['{p}:results', '*', 'payload', hiddenTest])).toBe('XADD {p}:results [3 other arguments]');
    expect(redisStatement('hgetall', ['{p}:submission:1'])).toBe('HGETALL {p}:submission:1');
    expect(redisStatement('ping', [])).toBe('PING');
  });

  it('takes a key count that is not one as no keys', () => {
    expect(redisStatement('evalsha', ['a1b2c3', 'x', secretSource])).toBe('EVALSHA a1b2c3 0 [1 other arguments]');
    expect(redisStatement('evalsha', ['a1b2c3', '5', 'k'])).toBe('EVALSHA a1b2c3 1 k');
  });
});
