import { FunctionSignature } from '@verdict/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgramLayout } from '@verdict/languages';
import { FUNCTION_LANGUAGES } from './function-language-catalog';
import { InvalidFunctionSignatureError, UnsupportedFunctionLanguageError, functionProgram } from './function-program';

const TWO_SUM: FunctionSignature = {
  functionName: 'twoSum',
  parameters: [{ name: 'nums', type: 'int[]' }, { name: 'target', type: 'int' }],
  returnType: 'int[]',
};

const USER_CODE: Record<string, string> = {
  python: 'class Solution:\n    def twoSum(self, nums, target):\n        return [0, 1]\n',
  cpp: 'class Solution {\npublic:\n    vector<int> twoSum(vector<int>& nums, int target) { return {0, 1}; }\n};\n',
  go: 'func twoSum(nums []int, target int) []int {\n\treturn []int{0, 1}\n}\n',
  java: 'class Solution {\n    public int[] twoSum(int[] nums, int target) { return new int[] {0, 1}; }\n}\n',
  javascript: 'var twoSum = function(nums, target) {\n    return [0, 1];\n};\n',
};

const SOLUTION_FILES: Record<string, string> = {
  python: 'solution.py',
  cpp: 'solution.cpp',
  go: 'solution.go',
  java: 'Solution.java',
  javascript: 'solution.js',
};

describe('functionProgram', () => {
  it('supports the five languages', () => {
    expect([...FUNCTION_LANGUAGES].sort()).toEqual(['cpp', 'go', 'java', 'javascript', 'python']);
  });

  it.each(Object.keys(USER_CODE))('%s: keeps the user\'s code on its own lines in a file of its own', (language) => {
    const program = functionProgram(language, TWO_SUM, USER_CODE[language]);
    const solution = program.files.find((file) => file.path === SOLUTION_FILES[language]);
    expect(solution).toBeDefined();
    const userLines = USER_CODE[language].split('\n');
    const fileLines = solution!.content.split('\n');
    expect(fileLines).toHaveLength(userLines.length);
    // Line 1 may carry what the language needs first (Go's package clause, Java's imports), appended before the user's text.
    expect(fileLines[0].endsWith(userLines[0])).toBe(true);
    expect(fileLines.slice(1)).toEqual(userLines.slice(1));
    for (const file of program.files.filter((f) => f !== solution)) expect(file.content).not.toContain(USER_CODE[language].trim());
  });

  it('gives the compile and run commands of the language, every file they name written', () => {
    const program: ProgramLayout = functionProgram('cpp', TWO_SUM, USER_CODE.cpp);
    expect(program.files.map((f) => f.path)).toEqual(['prelude.hpp', 'solution.cpp', 'driver.cpp']);
    expect(program.compile).toEqual({ command: ['g++', '-std=gnu++17', '-O2', '-pipe', '-o', 'main', 'driver.cpp'], env: { TMPDIR: '/tmp' } });
    expect(program.run).toEqual({ command: ['./main'] });
    const driver = program.files[2].content;
    expect(driver).toContain('#include "prelude.hpp"\nconst char* const verdict::FUNCTION = "twoSum";\n#include "solution.cpp"\n');
    expect(driver).toContain('verdict::read_arguments({"nums", "target"}, nums, target);');
    expect(functionProgram('java', TWO_SUM, USER_CODE.java).run.command).toContain('-Xmx{memoryMb}m');
  });

  it.each([
    ['python', 'verdict_driver.py', 'verdict_driver.py'],
    ['javascript', 'verdict_driver.js', 'verdict_driver.js'],
    ['cpp', 'verdict_driver.hpp', 'prelude.hpp'],
  ])('%s: ships the prelude (drivers/%s) as it is, as %s', (language, source, path) => {
    const program = functionProgram(language, TWO_SUM, USER_CODE[language]);
    expect(program.files.find((file) => file.path === path)?.content).toBe(readFileSync(join(__dirname, '..', 'drivers', source), 'utf8'));
  });

  it.each([
    ['go', 'verdict_driver.go', 'driver.go'],
    ['java', 'VerdictDriver.java', 'Main.java'],
  ])('%s: ships the prelude (drivers/%s) whole in %s, with the generated part', (language, source, path) => {
    const driver = functionProgram(language, TWO_SUM, USER_CODE[language]).files.find((file) => file.path === path)!.content;
    const prelude = readFileSync(join(__dirname, '..', 'drivers', source), 'utf8');
    expect(driver).toContain(prelude);
    expect(driver.length - prelude.length).toBeLessThan(1000);
  });

  it('generates only the call for Python and JavaScript: a driver that hands the signature to the prelude', () => {
    const signature = '{"functionName":"twoSum","parameters":[{"name":"nums","type":"int[]"},{"name":"target","type":"int"}],"returnType":"int[]"}';
    const python = functionProgram('python', TWO_SUM, USER_CODE.python).files.find((file) => file.path === 'driver.py')!.content;
    expect(python).toContain(`import verdict_driver\n\nverdict_driver.main(${JSON.stringify(signature)}, "solution.py")\n`);
    const javascript = functionProgram('javascript', TWO_SUM, USER_CODE.javascript).files.find((file) => file.path === 'driver.js')!.content;
    expect(javascript).toContain(`require("./verdict_driver.js").main(${signature}, "solution.js");\n`);
  });

  it('hands out copies: changing a returned command does not change the next program', () => {
    const first = functionProgram('go', TWO_SUM, USER_CODE.go);
    first.run.command.push('--oops');
    first.compile!.env!.GOFLAGS = 'changed';
    const second = functionProgram('go', TWO_SUM, USER_CODE.go);
    expect(second.run.command).toEqual(['./main']);
    expect(second.compile!.env!.GOFLAGS).toBe('-p=1');
  });

  it('adds a package clause to Go code only when it has none', () => {
    const solution = (source: string) => functionProgram('go', TWO_SUM, source).files.find((f) => f.path === 'solution.go')!.content;
    expect(solution(USER_CODE.go)).toBe(`package main; ${USER_CODE.go}`);
    const withPackage = `// helper\n/* more */\npackage main\n\n${USER_CODE.go}`;
    expect(solution(withPackage)).toBe(withPackage);
  });

  it('makes a wrong return type in C++ one static_assert that says what is expected', () => {
    const driver = functionProgram('cpp', TWO_SUM, USER_CODE.cpp).files.find((f) => f.path === 'driver.cpp')!.content;
    expect(driver).toContain(`"twoSum must return vector<int> (the problem's return type is int[])"`);
  });

  it('writes the Java call on a line whose text javac shows with the error', () => {
    const driver = functionProgram('java', TWO_SUM, USER_CODE.java).files.find((f) => f.path === 'Main.java')!.content;
    expect(driver).toContain('int[] verdictReturned = new Solution().twoSum(nums, target); // twoSum must return int[]');
  });

  it('refuses a language without a driver, listing the ones there are', () => {
    expect(() => functionProgram('rust', TWO_SUM, 'fn main() {}')).toThrow(UnsupportedFunctionLanguageError);
    expect(() => functionProgram('rust', TWO_SUM, 'fn main() {}')).toThrow('function problems cannot be solved in "rust" (supported: python, cpp, go, java, javascript)');
  });

  it('refuses an invalid signature with every problem', () => {
    const bad = { ...TWO_SUM, parameters: [{ name: 'class', type: 'int' }, { name: 'class', type: 'int' }] };
    let error: unknown;
    try {
      functionProgram('python', bad, USER_CODE.python);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidFunctionSignatureError);
    expect((error as InvalidFunctionSignatureError).problems).toHaveLength(3);
  });
});
