import { BuiltinCheckerType } from '@verdict/contracts';
import { chunksOf } from './bytes';
import { CheckResult } from './checker';
import { CHECKERS } from './checker-registry';
import { MAX_JSON_BYTES, MAX_JSON_DEPTH } from './json.checker';

/**
 * Every case runs twice: the expected output in one chunk, and cut into 1-byte chunks, so that every
 * token, line and character also crosses a chunk boundary.
 */
describe.each([
  ['in one chunk', undefined],
  ['in 1-byte chunks', 1],
])('checkers, the expected output streamed %s', (_how, chunkBytes) => {
  const run = (type: BuiltinCheckerType, expected: string | Buffer, actual: string | Buffer, spec: object = {}): Promise<CheckResult> =>
    CHECKERS[type].check(chunksOf(Buffer.from(expected), chunkBytes), Buffer.from(actual), { type, ...spec });

  describe('exact', () => {
    const check = (e: string | Buffer, a: string | Buffer) => run('exact', e, a);
    it('accepts identical output', async () => expect((await check('3\n', '3\n')).accepted).toBe(true));
    it('rejects a missing final newline and says where', async () => {
      const r = await check('3\n', '3');
      expect(r.accepted).toBe(false);
      expect(r.message).toContain('byte 1');
    });
    it('rejects different whitespace', async () => expect((await check('1 2\n', '1  2\n')).accepted).toBe(false));
    it('names the byte and line of the first difference, and extra output', async () => {
      expect((await check('a\nbc\nd\n', 'a\nbx\nd\n')).message).toBe('outputs differ at byte 3 (line 2): expected "c\\nd\\n", got "x\\nd\\n"');
      expect((await check('ab', 'abc')).message).toBe('outputs differ at byte 2 (line 1): expected "", got "c"');
      expect((await check('', '')).accepted).toBe(true);
    });
    it('shows a character that differs inside its UTF-8 bytes whole, from its first byte', async () => {
      expect((await check('xé', 'xè')).message).toBe('outputs differ at byte 1 (line 1): expected "é", got "è"');
    });
    it('compares bytes that are not UTF-8 exactly', async () => {
      expect((await check(Buffer.from([0xff, 0x0a]), Buffer.from([0xfe, 0x0a]))).accepted).toBe(false);
    });
  });

  describe('tokens', () => {
    const check = (e: string, a: string) => run('tokens', e, a);
    it('ignores spacing, line breaks and the final newline', async () => {
      expect((await check('1 2\n3\n', '1\n2 3')).accepted).toBe(true);
      expect((await check('', '\n  \n')).accepted).toBe(true);
      expect((await check(' \t12\r\n345 ', '12 345')).accepted).toBe(true);
    });
    it('names the first differing token', async () => {
      expect(await check('1 2 3', '1 5 3')).toEqual({ accepted: false, message: 'token 2: expected "2", got "5"' });
      expect((await check('123 4', '12 34')).message).toBe('token 1: expected "123", got "12"');
    });
    it('rejects missing and extra tokens', async () => {
      expect((await check('1 2', '1')).message).toContain('ended after 1 tokens, expected 2');
      expect((await check('1 2 3', '1')).message).toBe('output ended after 1 tokens, expected 3 (next expected "2")');
      expect((await check('1', '1 2')).message).toContain('first extra "2"');
      expect((await check('1', '1 2 3')).message).toBe('output has 3 tokens, expected 1 (first extra "2")');
    });
    it('is case-sensitive', async () => expect((await check('YES', 'yes')).accepted).toBe(false));
    it('cuts long tokens in messages', async () => {
      expect((await check('a', 'b'.repeat(100_000))).message).toBe(`token 1: expected "a", got "${'b'.repeat(40)}…"`);
    });
  });

  describe('float', () => {
    const check = (e: string, a: string, spec: object = {}) => run('float', e, a, spec);
    it('accepts within absolute or relative error', async () => {
      expect((await check('0.333333', '0.3333334', { absError: 1e-6 })).accepted).toBe(true);
      expect((await check('1000000', '1000001', { relError: 1e-5 })).accepted).toBe(true);
    });
    it('rejects outside the tolerance', async () => {
      expect(await check('1.0', '1.1', { absError: 1e-3 })).toEqual({ accepted: false, message: 'token 1: expected "1.0", got "1.1"' });
    });
    it('defaults to 1e-6 when no tolerance is given', async () => {
      expect((await check('2.5', '2.5000005')).accepted).toBe(true);
      expect((await check('2.5', '2.50001')).accepted).toBe(false);
    });
    it('compares non-numeric tokens exactly and rejects words for numbers', async () => {
      expect((await check('Case 1.5', 'Case 1.5')).accepted).toBe(true);
      expect((await check('1.5', 'nan')).accepted).toBe(false);
      expect((await check('1.5', 'Infinity', { absError: 1e9 })).accepted).toBe(false);
      expect((await check('1.5', '1.5e')).accepted).toBe(false);
      expect((await check('-.5e+1', '-5')).accepted).toBe(true);
    });
  });

  describe('lines-unordered', () => {
    const check = (e: string, a: string) => run('lines-unordered', e, a);
    it('accepts the same lines in another order, ignoring blank lines and surrounding spaces', async () => {
      expect(await check('1 2\n3 4\n', '  3 4\n\n1 2')).toEqual({ accepted: true, message: '' });
    });
    it('counts repeated lines', async () => {
      expect((await check('a\na\nb\n', 'a\nb\nb\n')).accepted).toBe(false);
    });
    it('names an unexpected and a missing line', async () => {
      expect((await check('a\nb\n', 'a\nc\n')).message).toBe('unexpected line "c"');
      expect((await check('a\nb\n', 'b\n')).message).toBe('missing line "a" (got 1 lines, expected 2)');
      expect((await check('a\n', `a\n${'long '.repeat(1000)}\n`)).message).toBe(`unexpected line "${'long '.repeat(8)}…"`);
      expect((await check('é ü\n', 'é ü\n')).accepted).toBe(true);
    });
  });

  describe('tokens-ci', () => {
    const check = (e: string, a: string) => run('tokens-ci', e, a);
    it('ignores case but not content', async () => {
      expect((await check('YES\nNo', 'yes no')).accepted).toBe(true);
      expect((await check('YES', 'YEAH')).message).toBe('token 1: expected "YES", got "YEAH"');
    });
    it('ignores the case of letters beyond ASCII too', async () => {
      expect((await check('ÉTÉ', 'été')).accepted).toBe(true);
      expect((await check('ÉTÉ', 'ete')).accepted).toBe(false);
    });
  });

  describe('json', () => {
    const check = (e: string, a: string | Buffer, spec: object = {}) => run('json', e, a, spec);
    it('compares structure, ignoring formatting', async () => {
      expect((await check('[[1,2],[3]]', ' [ [1, 2], [3] ]\n')).accepted).toBe(true);
      expect((await check('{"a":[true,null,"x"]}', '{"a":[true,null,"x"]}')).accepted).toBe(true);
    });
    it('names the path of the first difference', async () => {
      expect((await check('[[1,2],[3]]', '[[1,2],[4]]')).message).toBe('$[1][0]: expected 3, got 4');
      expect((await check('[1,2]', '[1]')).message).toBe('$: expected 2 elements, got 1');
      expect((await check('"abc"', '5')).message).toBe('$: expected string, got number "5"');
      expect((await check('{}', '{"constructor":1}')).message).toBe('$: unexpected key "constructor"');
    });
    it('compares floats within tolerance, integers exactly', async () => {
      expect((await check('[0.5, 2]', '[0.5000001, 2]')).accepted).toBe(true);
      expect((await check('[0.5]', '[0.51]')).accepted).toBe(false);
      expect((await check('[0.5]', '[0.51]', { absError: 0.1 })).accepted).toBe(true);
      expect((await check('3', '4', { absError: 10 })).accepted).toBe(false);
    });
    it('accepts any order of a returned array with anyOrder, counting duplicates', async () => {
      expect((await check('[[1,2],[3,4]]', '[[3,4],[1,2]]', { anyOrder: true })).accepted).toBe(true);
      expect((await check('[1,1,2]', '[1,2,2]', { anyOrder: true })).message).toBe('$[2]: "2" is not among the expected elements');
      expect((await check('[[1,2],[3,4]]', '[[3,4],[1,2]]')).accepted).toBe(false);
      expect((await check('[{"a":1,"b":0.5},{"a":2}]', '[{"a":2},{"b":0.5000001,"a":1}]', { anyOrder: true })).accepted).toBe(true);
    });
    it('rejects output that is not JSON, quoting it', async () => {
      expect((await check('[1]', 'Traceback...')).message).toBe('the returned value is not valid JSON: "Traceback..."');
    });
  });
});

/** Outside the chunked runs: these values are large, and 1-byte chunks would only make them slow. */
describe('json checker bounds', () => {
  const check = (expected: string, actual: string | Buffer) =>
    CHECKERS.json.check(chunksOf(Buffer.from(expected)), Buffer.from(actual), { type: 'json' });
  const deep = (open: string, close: string, levels: number) => open.repeat(levels) + close.repeat(levels);

  it.each([
    ['array', '[', ']'],
    ['object', '{"a":', '}'],
  ])('answers WA, never throws, for an %s nested 100,000 deep', async (_kind, open, close) => {
    await expect(check('[1]', deep(open, close, 100_000))).resolves.toEqual({
      accepted: false,
      message: `the returned value is nested deeper than ${MAX_JSON_DEPTH} levels, more than the json checker compares`,
    });
  });

  it(`compares values nested up to ${MAX_JSON_DEPTH} levels, and brackets in strings do not count`, async () => {
    const value = deep('[', ']', MAX_JSON_DEPTH);
    expect((await check(value, value)).accepted).toBe(true);
    expect((await check(`"${'['.repeat(5000)}"`, `"${'['.repeat(5000)}"`)).accepted).toBe(true);
  });

  it('blames the problem for an expected value nested too deep', async () => {
    expect((await check(deep('[', ']', 100_000), '[]')).message).toContain('(a fault of the problem)');
  });

  it(`answers WA for a returned value over ${MAX_JSON_BYTES / 1024 / 1024} MiB without parsing it`, async () => {
    const big = Buffer.alloc(MAX_JSON_BYTES + 1, 0x20);
    expect((await check('[]', big)).message).toBe('the returned value is 4.0 MiB of JSON, more than the 4 MiB the json checker reads');
  });

  it('matches a large anyOrder array in reverse order in linear time', async () => {
    const values = Array.from({ length: 200_000 }, (_, i) => i);
    const r = await CHECKERS.json.check(chunksOf(Buffer.from(JSON.stringify(values))), Buffer.from(JSON.stringify([...values].reverse())), { type: 'json', anyOrder: true });
    expect(r.accepted).toBe(true);
  });
});

describe('float checker on hostile tokens', () => {
  it('rejects a long run of digits that ends badly in linear time (a regular expression would backtrack)', async () => {
    const token = `${'1'.repeat(1_000_000)}x`;
    const r = await CHECKERS.float.check(chunksOf(Buffer.from('1')), Buffer.from(token), { type: 'float' });
    expect(r.message).toBe(`token 1: expected "1", got "${'1'.repeat(40)}…"`);
  });
});

describe('reading the expected output', () => {
  /** A stream that records how far it was read and whether it was closed. */
  function tracked(chunks: string[]) {
    const state = { read: 0, closed: false };
    async function* stream() {
      try {
        for (const chunk of chunks) {
          state.read++;
          yield Buffer.from(chunk);
        }
      } finally {
        state.closed = true;
      }
    }
    return { state, stream: stream() };
  }

  it.each(['exact', 'tokens', 'tokens-ci', 'float'] as const)('%s stops at the first difference and closes the stream', async (type) => {
    const chunk = '1 '.repeat(50);
    const { state, stream } = tracked([chunk, chunk, chunk, chunk]);
    expect((await CHECKERS[type].check(stream, Buffer.from(`${chunk}9 ${chunk.repeat(3)}`), { type })).accepted).toBe(false);
    expect(state).toEqual({ read: 2, closed: true });
  });

  it('passes a failure to read the expected output on: it is no verdict on the output', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('1 ');
      throw new Error('disk gone');
    }
    for (const type of ['exact', 'tokens', 'lines-unordered', 'json'] as const) {
      await expect(CHECKERS[type].check(failing(), Buffer.from('1 2'), { type })).rejects.toThrow('disk gone');
    }
  });
});
