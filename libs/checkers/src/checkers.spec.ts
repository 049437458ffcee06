import { CHECKERS } from './checker-registry';

describe('checkers', () => {
  describe('exact', () => {
    const check = (e: string, a: string) => CHECKERS.exact.check(e, a, { type: 'exact' });
    it('accepts identical output', () => expect(check('3\n', '3\n').accepted).toBe(true));
    it('rejects a missing final newline and says where', () => {
      const r = check('3\n', '3');
      expect(r.accepted).toBe(false);
      expect(r.message).toContain('byte 1');
    });
    it('rejects different whitespace', () => expect(check('1 2\n', '1  2\n').accepted).toBe(false));
  });

  describe('tokens', () => {
    const check = (e: string, a: string) => CHECKERS.tokens.check(e, a, { type: 'tokens' });
    it('ignores spacing, line breaks and the final newline', () => {
      expect(check('1 2\n3\n', '1\n2 3').accepted).toBe(true);
      expect(check('', '\n  \n').accepted).toBe(true);
    });
    it('names the first differing token', () => {
      expect(check('1 2 3', '1 5 3')).toEqual({ accepted: false, message: 'token 2: expected "2", got "5"' });
    });
    it('rejects missing and extra tokens', () => {
      expect(check('1 2', '1').message).toContain('ended after 1 tokens, expected 2');
      expect(check('1', '1 2').message).toContain('first extra "2"');
    });
    it('is case-sensitive', () => expect(check('YES', 'yes').accepted).toBe(false));
  });

  describe('float', () => {
    it('accepts within absolute or relative error', () => {
      expect(CHECKERS.float.check('0.333333', '0.3333334', { type: 'float', absError: 1e-6 }).accepted).toBe(true);
      expect(CHECKERS.float.check('1000000', '1000001', { type: 'float', relError: 1e-5 }).accepted).toBe(true);
    });
    it('rejects outside the tolerance', () => {
      const r = CHECKERS.float.check('1.0', '1.1', { type: 'float', absError: 1e-3 });
      expect(r).toEqual({ accepted: false, message: 'token 1: expected "1.0", got "1.1"' });
    });
    it('defaults to 1e-6 when no tolerance is given', () => {
      expect(CHECKERS.float.check('2.5', '2.5000005', { type: 'float' }).accepted).toBe(true);
      expect(CHECKERS.float.check('2.5', '2.50001', { type: 'float' }).accepted).toBe(false);
    });
    it('compares non-numeric tokens exactly and rejects words for numbers', () => {
      expect(CHECKERS.float.check('Case 1.5', 'Case 1.5', { type: 'float' }).accepted).toBe(true);
      expect(CHECKERS.float.check('1.5', 'nan', { type: 'float' }).accepted).toBe(false);
      expect(CHECKERS.float.check('1.5', 'Infinity', { type: 'float', absError: 1e9 }).accepted).toBe(false);
    });
  });
});

describe('lines-unordered', () => {
  const check = (e: string, a: string) => CHECKERS['lines-unordered'].check(e, a, { type: 'lines-unordered' });
  it('accepts the same lines in another order, ignoring blank lines and surrounding spaces', () => {
    expect(check('1 2\n3 4\n', '  3 4\n\n1 2')).toEqual({ accepted: true, message: '' });
  });
  it('counts repeated lines', () => {
    expect(check('a\na\nb\n', 'a\nb\nb\n').accepted).toBe(false);
  });
  it('names an unexpected and a missing line', () => {
    expect(check('a\nb\n', 'a\nc\n').message).toBe('unexpected line "c"');
    expect(check('a\nb\n', 'b\n').message).toBe('missing line "a" (got 1 lines, expected 2)');
  });
});

describe('tokens-ci', () => {
  const check = (e: string, a: string) => CHECKERS['tokens-ci'].check(e, a, { type: 'tokens-ci' });
  it('ignores case but not content', () => {
    expect(check('YES\nNo', 'yes no').accepted).toBe(true);
    expect(check('YES', 'YEAH').message).toBe('token 1: expected "YES", got "YEAH"');
  });
});

describe('json', () => {
  const check = (e: string, a: string, spec: object = {}) => CHECKERS.json.check(e, a, { type: 'json', ...spec });
  it('compares structure, ignoring formatting', () => {
    expect(check('[[1,2],[3]]', ' [ [1, 2], [3] ]\n').accepted).toBe(true);
    expect(check('{"a":[true,null,"x"]}', '{"a":[true,null,"x"]}').accepted).toBe(true);
  });
  it('names the path of the first difference', () => {
    expect(check('[[1,2],[3]]', '[[1,2],[4]]').message).toBe('$[1][0]: expected 3, got 4');
    expect(check('[1,2]', '[1]').message).toBe('$: expected 2 elements, got 1');
    expect(check('"abc"', '5').message).toBe('$: expected string, got number "5"');
  });
  it('compares floats within tolerance, integers exactly', () => {
    expect(check('[0.5, 2]', '[0.5000001, 2]').accepted).toBe(true);
    expect(check('[0.5]', '[0.51]').accepted).toBe(false);
    expect(check('[0.5]', '[0.51]', { absError: 0.1 }).accepted).toBe(true);
    expect(check('3', '4', { absError: 10 }).accepted).toBe(false);
  });
  it('accepts any order of a returned array with anyOrder, counting duplicates', () => {
    expect(check('[[1,2],[3,4]]', '[[3,4],[1,2]]', { anyOrder: true }).accepted).toBe(true);
    expect(check('[1,1,2]', '[1,2,2]', { anyOrder: true }).message).toBe('$[2]: "2" is not among the expected elements');
    expect(check('[[1,2],[3,4]]', '[[3,4],[1,2]]').accepted).toBe(false);
  });
  it('rejects output that is not JSON, quoting it', () => {
    expect(check('[1]', 'Traceback...').message).toBe('the returned value is not valid JSON: "Traceback..."');
  });
});
