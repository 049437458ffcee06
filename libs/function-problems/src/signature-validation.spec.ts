import { FunctionSignature } from '@verdict/contracts';
import { validateSignature } from './signature-validation';

const sig = (functionName: string, parameters: [string, string][], returnType = 'int'): FunctionSignature => ({
  functionName,
  parameters: parameters.map(([name, type]) => ({ name, type })),
  returnType,
});

describe('validateSignature', () => {
  it.each([
    ['two sum', sig('twoSum', [['nums', 'int[]'], ['target', 'int']], 'int[]')],
    ['no parameters', sig('answer', [], 'long')],
    ['every kind of type', sig('f', [['a', 'string[][]'], ['b', 'double'], ['c', 'bool[]'], ['d', 'ListNode[]'], ['e', 'TreeNode']], 'TreeNode[]')],
    ['names a language keeps for its library, not its syntax', sig('max', [['list', 'int[]'], ['len', 'int'], ['s', 'string']])],
  ])('accepts a LeetCode-style signature: %s', (_what, signature) => {
    expect(validateSignature(signature)).toEqual([]);
  });

  it('refuses duplicate parameter names, naming both', () => {
    expect(validateSignature(sig('f', [['a', 'int'], ['b', 'int'], ['a', 'long']]))).toEqual([
      'parameters[2].name "a" is already the name of parameters[0]: parameter names must be unique',
    ]);
  });

  it('refuses a parameter named like the function, which would hide it in Go', () => {
    expect(validateSignature(sig('count', [['count', 'int']]))).toEqual([
      'parameters[0].name "count" is also the function\'s name, which the parameter would hide (in Go)',
    ]);
  });

  it('refuses a word reserved in any supported language, saying in which', () => {
    expect(validateSignature(sig('f', [['class', 'int']]))).toEqual([
      'parameters[0].name "class" cannot be used: it is reserved in python, cpp, java, javascript (a keyword, a predeclared name or a name the driver needs)',
    ]);
    expect(validateSignature(sig('f', [['func', 'int']]))[0]).toMatch(/"func" cannot be used: it is reserved in go /);
    expect(validateSignature(sig('f', [['lambda', 'int']]))[0]).toMatch(/reserved in python /);
    expect(validateSignature(sig('f', [['template', 'int']]))[0]).toMatch(/reserved in cpp /);
    expect(validateSignature(sig('f', [['boolean', 'int']]))[0]).toMatch(/reserved in java /);
    expect(validateSignature(sig('f', [['await', 'int']]))[0]).toMatch(/reserved in python, javascript /);
    expect(validateSignature(sig('main', []))[0]).toMatch(/functionName "main" cannot be used: it is reserved in cpp, go /);
  });

  it('refuses names a driver or prelude would mean something else by: macros, predeclared types, driver classes', () => {
    expect(validateSignature(sig('f', [['errno', 'int']]))[0]).toMatch(/"errno" .* reserved in cpp/);
    expect(validateSignature(sig('f', [['linux', 'int']]))[0]).toMatch(/"linux" .* reserved in cpp/);
    expect(validateSignature(sig('f', [['string', 'int']]))[0]).toMatch(/"string" .* reserved in go/);
    expect(validateSignature(sig('f', [['self', 'int']]))[0]).toMatch(/"self" .* reserved in python/);
    expect(validateSignature(sig('Solution', []))[0]).toMatch(/"Solution" .* reserved in python, cpp, java, javascript/);
    expect(validateSignature(sig('f', [['verdictInput', 'int']]))).toEqual([
      'parameters[0].name "verdictInput" cannot be used: names starting with "verdict" are reserved for the generated drivers',
    ]);
  });

  it('refuses names reserved by pattern, with the reason', () => {
    expect(validateSignature(sig('f', [['a__b', 'int']]))).toEqual([
      'parameters[0].name "a__b" cannot be used: names containing __ are reserved for the implementation in C++',
    ]);
    expect(validateSignature(sig('f', [['_', 'int']]))).toEqual([
      'parameters[0].name "_" cannot be used: _ is Go\'s blank identifier',
      'parameters[0].name "_" cannot be used: _ is a keyword in Java',
    ]);
  });

  it('checks what the DTO checks too, one message per field', () => {
    const signature = { functionName: '2sum', parameters: [{ name: 'nums', type: 'int[][][]' }, { name: 'x y', type: 'Map' }], returnType: 'ListNode[][]' };
    expect(validateSignature(signature)).toEqual([
      'functionName must be an identifier (a letter or _, then letters, digits or _, at most 64), got "2sum"',
      'returnType: "ListNode[][]" is not a value type (int, long, double, bool or string with up to two [], or ListNode/TreeNode with up to one [])',
      'parameters[0].type: "int[][][]" is not a value type (int, long, double, bool or string with up to two [], or ListNode/TreeNode with up to one [])',
      'parameters[1].name must be an identifier (a letter or _, then letters, digits or _, at most 64), got "x y"',
      'parameters[1].type: "Map" is not a value type (int, long, double, bool or string with up to two [], or ListNode/TreeNode with up to one [])',
    ]);
    const many = sig('f', Array.from({ length: 17 }, (_, i) => [`p${i}`, 'int'] as [string, string]));
    expect(validateSignature(many)).toEqual(['parameters: at most 16 are allowed, got 17']);
  });

  it('refuses what is not a signature at all without throwing', () => {
    expect(validateSignature(null as unknown as FunctionSignature)).toEqual(['the signature must be an object with functionName, parameters and returnType']);
    expect(validateSignature({ functionName: 'f', returnType: 'int' } as unknown as FunctionSignature)).toEqual(['parameters must be an array of { name, type }']);
    expect(validateSignature({ functionName: 'f', parameters: [7], returnType: 'int' } as unknown as FunctionSignature)).toEqual([
      'parameters[0] must be an object with name and type',
    ]);
  });
});
