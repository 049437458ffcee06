import { InvalidProblemPackageError } from './problem-errors';
import { ProblemPackage } from './problem-package';
import { RULES, aPlusB, packageOf } from './problem-fixtures.spec-support';
import { testNameOf, validateProblemPackage } from './validate-problem-package';

/** The messages a package is refused with (fails the test when it is accepted). */
function problemsOf(pkg: ProblemPackage, rules = RULES): string[] {
  try {
    validateProblemPackage(pkg, rules);
  } catch (error) {
    if (error instanceof InvalidProblemPackageError) return error.problems.map((p) => p.message);
    throw error;
  }
  throw new Error('the package was accepted');
}

describe('validateProblemPackage', () => {
  it('accepts a valid package and fills in the defaults', () => {
    const { draft, data } = validateProblemPackage(aPlusB(), RULES);
    expect(draft).toMatchObject({
      requestedId: null,
      title: 'A + B',
      statement: '',
      kind: 'stdio',
      limits: { cpuTimeMs: 2000, wallTimeMs: 5000, memoryMb: 256, outputKb: 1024 },
      checker: { type: 'tokens' },
      stopOnFirstFailure: false,
      subtasks: [{ name: 'all', points: 100, aggregation: 'sum', tests: ['s1', '1', '2'], dependsOn: [] }],
      samples: [{ name: 's1', input: '1 2\n', output: '3\n' }],
    });
    expect(draft.tests.map((t) => [t.name, t.sample, t.pretest])).toEqual([['s1', true, true], ['1', false, false], ['2', false, false]]);
    // Stored by content: the two "0\n"-free files are six distinct blobs.
    expect(data.size).toBe(6);
    expect(draft.tests[0].input).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: 4 });
  });

  it('stores identical files once', () => {
    const { data } = validateProblemPackage(aPlusB({}, { 'tests/2.out': '10\n' }), RULES);
    expect(data.size).toBe(5);
  });

  describe('schema messages name problem.yaml and the field', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['an empty title', { title: '' }, 'problem.yaml: title: must be a title that is not empty or blank (got "")'],
      ['a blank title', { title: '   ' }, 'problem.yaml: title: must be a title that is not empty or blank (got "   ")'],
      ['a missing title', { title: undefined }, 'problem.yaml: title: is required'],
      ['an unknown field', { timelimit: 1 }, expect.stringMatching(/^problem\.yaml: timelimit: unknown field \(known: id, title, statement, kind, limits/) as unknown as string],
      ['an unknown limit', { limits: { cpuTime: 1 } }, 'problem.yaml: limits.cpuTime: unknown field (known: cpuTimeMs, wallTimeMs, memoryMb, outputKb)'],
      ['a fractional limit', { limits: { memoryMb: 1.5 } }, 'problem.yaml: limits.memoryMb: must be an integer'],
      ['an unknown kind', { kind: 'batch' }, 'problem.yaml: kind: must be one of: stdio, function, interactive (got "batch")'],
      ['an unknown checker', { checker: { type: 'regex' } }, 'problem.yaml: checker.type: must be one of: exact, tokens, float, lines-unordered, tokens-ci, json, testlib, kattis (got "regex")'],
      ['a bad id', { id: 'A+B' }, 'problem.yaml: id: must be a slug: 1-64 lowercase letters, digits and inner hyphens (got "A+B")'],
      ['a bad difficulty', { difficulty: 'insane' }, 'problem.yaml: difficulty: must be easy, medium, hard, or a rating from 0 to 10000 (got "insane")'],
      ['a test without input', { tests: [{ output: 'x.out' }] }, 'problem.yaml: tests[0].input: is required'],
      ['a path leaving the package', { tests: [{ input: '../etc/passwd' }] }, expect.stringMatching(/^problem\.yaml: tests\[0\]\.input: must be a relative path inside the package/) as unknown as string],
      ['a negative subtask score', { subtasks: [{ name: 'a', points: -1, tests: ['1'] }] }, 'problem.yaml: subtasks[0].points: must be >= 0'],
      ['a bad multiplier', { limitMultipliers: { python: { cpuTime: 0 } } }, 'problem.yaml: limitMultipliers.python.cpuTime: must be > 0'],
      ['a tags string', { tags: 'math' }, 'problem.yaml: tags: must be a list'],
    ];
    it.each(cases)('%s', (_name, overrides, message) => {
      expect(problemsOf(aPlusB(overrides))).toEqual(expect.arrayContaining([message]));
    });

    it('a manifest that is not a mapping', () => {
      expect(problemsOf(packageOf(['title']))).toEqual(['problem.yaml: must be a mapping of fields']);
    });

    it('reports every schema problem at once', () => {
      expect(problemsOf(aPlusB({ title: '', kind: 'x', limits: { memoryMb: 'lots' } }))).toHaveLength(3);
    });
  });

  describe('files', () => {
    it('names a missing input and output by the file and the field that named it', () => {
      const pkg = aPlusB({ tests: [{ input: 'tests/1.in' }, { input: 'tests/2.in', output: 'tests/2.ans' }, { input: 'tests/3.in', output: 'tests/3.out' }] });
      expect(problemsOf(pkg)).toEqual([
        'tests/2.ans: missing (named by tests[1].output)',
        'tests/3.in: missing (named by tests[2].input)',
        'tests/3.out: missing (named by tests[2].output)',
      ]);
    });

    it('refuses paths the schema lets through that are no file of the package (a NUL, a trailing /)', () => {
      const pkg = aPlusB({ tests: [{ input: 'tests/a\u0000.in' }, { input: 'tests/1.in', output: 'tests/' }], checker: { type: 'testlib', language: 'cpp', source: 'src/' } });
      expect(problemsOf(pkg)).toEqual([
        'problem.yaml: checker.source: must be the path of a file inside the package (got "src/")',
        'problem.yaml: tests[0].input: must be the path of a file inside the package (got "tests/a\\u0000.in")',
        'problem.yaml: tests[1].output: must be the path of a file inside the package (got "tests/")',
      ]);
    });

    it('finds the output beside an input, .out or .ans', () => {
      const { draft } = validateProblemPackage(packageOf({ title: 't', tests: [{ input: 'a.in' }, { input: 'b.in' }] }, { 'a.in': '', 'a.out': '1', 'b.in': '', 'b.ans': '22' }), RULES);
      expect(draft.tests.map((t) => [t.name, t.answer.bytes])).toEqual([['a', 1], ['b', 2]]);
    });

    it('says when an output cannot be found beside an input', () => {
      expect(problemsOf(packageOf({ title: 't', tests: [{ input: 'tests/1.in' }, { input: 'tests/2.txt' }] }, { 'tests/1.in': '', 'tests/2.txt': '' }))).toEqual([
        'tests/1.out: missing (the expected output of tests[0] input "tests/1.in"; or name it in tests[0].output)',
        'problem.yaml: tests[1].output: is required: no output can be found beside input "tests/2.txt" (only .in and .args.json inputs have one)',
      ]);
    });

    it('says when a glob matches nothing', () => {
      expect(problemsOf(aPlusB({ tests: [{ glob: 'tests/big-*.in' }] }))).toEqual(['problem.yaml: tests[0].glob: "tests/big-*.in" matches no file']);
    });

    it('refuses two tests with one name', () => {
      expect(problemsOf(aPlusB({ tests: [{ glob: 'tests/*.in' }, { name: 's1', input: 'tests/1.in' }] }))).toEqual([
        'problem.yaml: tests[1]: duplicate test name "s1" (also from tests[0].glob)',
      ]);
    });

    it('refuses more tests than PROBLEM_MAX_TESTS', () => {
      expect(problemsOf(aPlusB(), { ...RULES, maxTests: 2 })).toEqual(['problem.yaml: tests: 3 tests, more than the 2 a problem may have (PROBLEM_MAX_TESTS)']);
    });

    it('refuses samples over PROBLEM_MAX_SAMPLE_KB', () => {
      expect(problemsOf(aPlusB({}, { 'tests/s1.in': 'x'.repeat(2048) }), { ...RULES, maxSampleBytes: 1024 })).toEqual([
        'tests/s1.in: 2 KiB; a sample is shown to everyone and each of its files may be at most 1 KiB (PROBLEM_MAX_SAMPLE_KB)',
      ]);
    });

    it('names tests after their input path', () => {
      expect(testNameOf('tests/big/07.in')).toBe('big/07');
      expect(testNameOf('tests/3.args.json')).toBe('3');
      expect(testNameOf('data/x.txt')).toBe('data/x');
    });
  });

  describe('subtasks', () => {
    const subtasks = (list: unknown[]) => aPlusB({ subtasks: list });

    it('names an unknown dependency', () => {
      expect(
        problemsOf(subtasks([{ name: 'small', points: 40, tests: ['s1', '1'] }, { name: 'medium', points: 60, tests: ['2'], dependsOn: ['large'] }])),
      ).toEqual(['problem.yaml: subtasks[1].dependsOn[0]: unknown subtask "large"']);
    });

    it('names a dependency cycle', () => {
      expect(
        problemsOf(
          subtasks([
            { name: 'a', points: 10, tests: ['s1'], dependsOn: ['c'] },
            { name: 'b', points: 10, tests: ['1'], dependsOn: ['a'] },
            { name: 'c', points: 10, tests: ['2'], dependsOn: ['b'] },
          ]),
        ),
      ).toEqual(['problem.yaml: subtasks: dependency cycle: a -> c -> b -> a']);
    });

    it('refuses a subtask that depends on itself', () => {
      expect(problemsOf(subtasks([{ name: 'a', points: 100, tests: ['s1', '1', '2'], dependsOn: ['a'] }]))).toEqual([
        'problem.yaml: subtasks[0].dependsOn[0]: a subtask cannot depend on itself',
      ]);
    });

    it('names tests in no subtask', () => {
      expect(problemsOf(subtasks([{ name: 'a', points: 100, tests: ['1'] }]))).toEqual([
        'problem.yaml: subtasks: tests "s1", "2" are in no subtask (every test must be in one; a 0-point subtask will do)',
      ]);
    });

    it('names a test pattern that matches nothing', () => {
      expect(problemsOf(subtasks([{ name: 'a', points: 100, tests: ['s1', '1', '2', 'big-*', '9'] }]))).toEqual([
        'problem.yaml: subtasks[0].tests[3]: "big-*" matches no test',
        'problem.yaml: subtasks[0].tests[4]: "9" is not a test',
      ]);
    });

    it('refuses duplicate subtask names', () => {
      expect(problemsOf(subtasks([{ name: 'a', points: 50, tests: ['s1', '1'] }, { name: 'a', points: 50, tests: ['2'] }]))).toEqual([
        'problem.yaml: subtasks[1].name: duplicate subtask "a" (also subtasks[0])',
      ]);
    });

    it('expands globs over test names, in the order of the tests, and takes numbers as names', () => {
      const { draft } = validateProblemPackage(subtasks([{ name: 'samples', points: 0, tests: ['s*'] }, { name: 'rest', points: 100, aggregation: 'sum', tests: [2, 1] }]), RULES);
      expect(draft.subtasks).toEqual([
        { name: 'samples', points: 0, aggregation: 'min', tests: ['s1'], dependsOn: [] },
        { name: 'rest', points: 100, aggregation: 'sum', tests: ['1', '2'], dependsOn: [] },
      ]);
    });
  });

  describe('checker, interactor, languages and limits', () => {
    it('requires the program of a testlib checker and names its missing source', () => {
      expect(problemsOf(aPlusB({ checker: { type: 'testlib' } }))).toEqual([
        'problem.yaml: checker.language: is required for a testlib checker',
        "problem.yaml: checker.source: is required for a testlib checker (the program's source file)",
      ]);
      expect(problemsOf(aPlusB({ checker: { type: 'testlib', language: 'pascal', source: 'check.cpp' } }))).toEqual([
        'problem.yaml: checker.language: unknown language "pascal" (known: python, cpp, go)',
        'check.cpp: missing (named by checker.source)',
      ]);
    });

    it('keeps built-in checkers without a program, and tolerances where they apply', () => {
      expect(problemsOf(aPlusB({ checker: { type: 'exact', source: 'c.cpp', absError: 0.1 } }))).toEqual([
        'problem.yaml: checker: absError and relError apply to float and json checkers, not exact',
        'problem.yaml: checker: exact is built in: language and source are for testlib and kattis checkers',
      ]);
      expect(validateProblemPackage(aPlusB({ checker: { type: 'float', absError: 1e-6 } }), RULES).draft.checker).toEqual({ type: 'float', absError: 1e-6 });
    });

    it('keeps json for function problems', () => {
      expect(problemsOf(aPlusB({ checker: { type: 'json' } }))).toEqual(['problem.yaml: checker.type: json compares the values functions return: it is for kind function only']);
    });

    it('requires an interactor for interactive problems and only for them', () => {
      expect(problemsOf(aPlusB({ kind: 'interactive' }))).toEqual(['problem.yaml: interactor: is required for kind interactive (language, source)']);
      expect(problemsOf(aPlusB({ interactor: { language: 'cpp', source: 'i.cpp' } }))).toEqual(['problem.yaml: interactor: only interactive problems have an interactor (kind is stdio)']);
    });

    it('accepts checkers and interactors only in languages that can build one (interactors: self-contained)', () => {
      const interactive = (language: string) => aPlusB({ kind: 'interactive', interactor: { language, source: 'tests/1.in' } });
      expect(problemsOf(interactive('python'))).toEqual(['problem.yaml: interactor.language: python cannot be used for an interactor (usable: cpp, go)']);
      const checked = (language: string) => aPlusB({ checker: { type: 'testlib', language, source: 'tests/1.in' } });
      expect(problemsOf(checked('go'), { ...RULES, programLanguages: { checker: ['cpp'], interactor: ['cpp'] } })).toEqual([
        'problem.yaml: checker.language: go cannot be used for a checker (usable: cpp)',
      ]);
    });

    it('holds limits to the deployment bounds', () => {
      expect(problemsOf(aPlusB({ limits: { cpuTimeMs: 20000, wallTimeMs: 1000, memoryMb: 8 } }))).toEqual([
        'problem.yaml: limits.cpuTimeMs: must be between 1 and 15000 (got 20000)',
        'problem.yaml: limits.memoryMb: must be between 16 and 2048 (got 8)',
        'problem.yaml: limits.wallTimeMs: (1000) must be at least limits.cpuTimeMs (20000)',
      ]);
    });

    it('holds multiplied limits to the bounds and names unknown languages', () => {
      expect(problemsOf(aPlusB({ limits: { memoryMb: 1024 }, limitMultipliers: { python: { memory: 4 }, cobol: { cpuTime: 2 } } }))).toEqual([
        "problem.yaml: limitMultipliers.python.memory: limits.memoryMb 1024 × 4 = 4096 is above this deployment's maximum 2048 (MAX_MEMORY_MB)",
        'problem.yaml: limitMultipliers.cobol: unknown language "cobol" (known: python, cpp, go)',
      ]);
      expect(validateProblemPackage(aPlusB({ limitMultipliers: { python: { cpuTime: 3 } } }), RULES).draft.limitMultipliers).toEqual({ python: { cpuTime: 3, memory: 1 } });
    });
  });

  describe('function problems', () => {
    const twoSum = (files: Record<string, string>, overrides: Record<string, unknown> = {}) =>
      packageOf(
        {
          title: 'Two Sum',
          kind: 'function',
          function: { functionName: 'twoSum', parameters: [{ name: 'nums', type: 'int[]' }, { name: 'target', type: 'int' }], returnType: 'int[]' },
          tests: [{ glob: 'tests/*.args.json' }],
          ...overrides,
        },
        files,
      );

    it('defaults to the json checker and pairs .args.json with .expected.json', () => {
      const { draft } = validateProblemPackage(twoSum({ 'tests/1.args.json': '[[2,7], 9]', 'tests/1.expected.json': '[0,1]' }), RULES);
      expect(draft.checker).toEqual({ type: 'json' });
      expect(draft.tests.map((t) => t.name)).toEqual(['1']);
    });

    it('names test files that are not JSON or not the argument list', () => {
      expect(
        problemsOf(
          twoSum({
            'tests/1.args.json': '[[2,7]]',
            'tests/1.expected.json': '[0,1]',
            'tests/2.args.json': '{"nums": []}',
            'tests/2.expected.json': '[0,',
            'tests/3.args.json': '[[1], 2]',
          }),
        ),
      ).toEqual([
        'tests/3.expected.json: missing (the expected output of "tests/3.args.json", matched by tests[0].glob)',
        'tests/1.args.json: must be a JSON array of the 2 arguments (nums, target); got 1 item',
        'tests/2.args.json: must be a JSON array of the 2 arguments (nums, target); got a JSON object',
        expect.stringMatching(/^tests\/2\.expected\.json: not valid JSON \(/),
      ]);
    });

    it('requires a signature', () => {
      expect(problemsOf(twoSum({}, { function: undefined, tests: [{ input: 'a.in', output: 'a.out' }] }))).toEqual([
        'problem.yaml: function: is required for kind function (functionName, parameters, returnType)',
        'a.in: missing (named by tests[0].input)',
        'a.out: missing (named by tests[0].output)',
      ]);
    });

    it('uses the function-problem rules for values when it has them', () => {
      const rules = {
        ...RULES,
        functionValues: {
          validateSignature: () => [],
          validateValue: (type: string, value: unknown, path: string) => (type === 'int' && !Number.isInteger(value) ? [`${path}: must be an int`] : []),
        },
      };
      expect(problemsOf(twoSum({ 'tests/1.args.json': '[[2,7], "9"]', 'tests/1.expected.json': '[0,1]' }), rules)).toEqual(['tests/1.args.json: target: must be an int']);
    });
  });
});
