import { FunctionSignature } from '@verdict/contracts';
import { MAX_VALUE_PROBLEMS, validateFunctionTest, validateValue } from './value-validation';

describe('validateValue', () => {
  it.each([
    ['int', 0],
    ['int', -2147483648],
    ['int', 2147483647],
    ['long', 9007199254740991],
    ['long', -9007199254740991],
    ['double', 0.1],
    ['double', -3],
    ['bool', false],
    ['string', 'é 😀 "q"'],
    ['int[]', []],
    ['int[][]', [[1], [], [2, 3]]],
    ['string[]', ['a', '']],
    ['ListNode', []],
    ['ListNode', [1, 2, 3]],
    ['ListNode[]', [[1, 4, 5], [], [2]]],
    ['TreeNode', []],
    ['TreeNode', [3, 9, 20, null, null, 15, 7]],
    ['TreeNode', [1, null, 2, 3]],
    ['TreeNode[]', [[1], [], [2, 1, 3]]],
  ])('accepts %s %j', (type, value) => {
    expect(validateValue(type, value, 'x')).toEqual([]);
  });

  it('refuses ints out of 32 bits and non-integers, naming the path', () => {
    expect(validateValue('int[]', [1, 2147483648, 2.5, '3'], 'input.nums')).toEqual([
      'input.nums[1]: 2147483648 is out of range for int (-2147483648..2147483647)',
      'input.nums[2]: expected int (an integer), got the number 2.5',
      'input.nums[3]: expected int (an integer), got a string "3"',
    ]);
  });

  it('refuses longs JSON readers cannot hold exactly (beyond 2^53)', () => {
    expect(validateValue('long', 2 ** 53, 'answer')).toEqual([
      'answer: 9007199254740992 is beyond ±(2^53-1), the largest integers JSON readers are guaranteed to read exactly (long values must stay within it)',
    ]);
  });

  it('refuses values of the wrong kind', () => {
    expect(validateValue('bool', 1, 'a')).toEqual(['a: expected bool, got the number 1']);
    expect(validateValue('string', null, 'a')).toEqual(['a: expected string, got null']);
    expect(validateValue('double', '1.5', 'a')).toEqual(['a: expected double (a number), got a string "1.5"']);
    expect(validateValue('int[][]', [[1], 2], 'a')).toEqual(['a[1]: expected int[], got the number 2']);
    expect(validateValue('string[]', { 0: 'a' }, 'a')).toEqual(['a: expected string[], got an object']);
    expect(validateValue('ListNode', [1, null], 'head')).toEqual(['head[1]: expected int (an integer), got null']);
  });

  it('refuses tree encodings no tree has, and trailing nulls that drivers never print', () => {
    expect(validateValue('TreeNode', [null], 'root')).toEqual(['root[0]: the root of a tree cannot be null (an empty tree is [])']);
    expect(validateValue('TreeNode', [1, null, null, 2], 'root')).toEqual([
      'root[3]: has no parent (every node before it is null), so no tree has this encoding',
    ]);
    expect(validateValue('TreeNode', [1, 2, null], 'root')).toEqual([
      "root: must not end with null (LeetCode's canonical form, which drivers print, drops trailing nulls)",
    ]);
    expect(validateValue('TreeNode', { val: 1 }, 'root')[0]).toMatch(/^root: expected TreeNode \(an array in level order/);
  });

  it('says when the type itself is not one', () => {
    expect(validateValue('char', 'a', 'x')).toEqual([
      'x: "char" is not a value type (int, long, double, bool or string with up to two [], or ListNode/TreeNode with up to one [])',
    ]);
  });

  it('lists a bounded number of problems for a huge bad value', () => {
    const problems = validateValue('int[]', Array(1000).fill('x'), 'nums');
    expect(problems).toHaveLength(MAX_VALUE_PROBLEMS + 1);
    expect(problems[MAX_VALUE_PROBLEMS]).toMatch(/and more problems/);
  });
});

describe('validateFunctionTest', () => {
  const twoSum: FunctionSignature = {
    functionName: 'twoSum',
    parameters: [{ name: 'nums', type: 'int[]' }, { name: 'target', type: 'int' }],
    returnType: 'int[]',
  };

  it('accepts a test whose input is the argument list and whose answer is a return value', () => {
    expect(validateFunctionTest(twoSum, '[[2,7,11,15], 9]\n', '[0,1]')).toEqual([]);
  });

  it('names each bad argument by its parameter', () => {
    expect(validateFunctionTest(twoSum, '[[2,"7"], 9.5]', '[0,true]')).toEqual([
      'input.nums[1]: expected int (an integer), got a string "7"',
      'input.target: expected int (an integer), got the number 9.5',
      'answer[1]: expected int (an integer), got a bool (true)',
    ]);
  });

  it('refuses an input that is not the argument list', () => {
    expect(validateFunctionTest(twoSum, '[[2,7]]', '[0,1]')).toEqual(['input: expected a JSON array of 2 argument(s) (nums, target), got an array of 1']);
    expect(validateFunctionTest(twoSum, '{"nums": [2,7], "target": 9}', '[0,1]')).toEqual([
      'input: expected a JSON array of 2 argument(s) (nums, target), got an object',
    ]);
    expect(validateFunctionTest(twoSum, '[[2,7], 9', '[0,1')).toEqual([
      expect.stringMatching(/^input: not valid JSON \(/),
      expect.stringMatching(/^answer: not valid JSON \(/),
    ]);
  });

  it('reports an invalid signature instead of judging tests against it', () => {
    expect(validateFunctionTest({ ...twoSum, returnType: 'char' }, '[[1], 1]', '1')).toEqual([
      'signature: returnType: "char" is not a value type (int, long, double, bool or string with up to two [], or ListNode/TreeNode with up to one [])',
    ]);
  });
});
