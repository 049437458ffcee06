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
