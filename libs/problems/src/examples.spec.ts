import { StoredData } from '@verdict/contracts';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildJudgePlan } from './judge-plan';
import { readProblemDirectory } from './problem-package';
import { BOUNDS, RULES } from './problem-fixtures.spec-support';
import { validateProblemPackage } from './validate-problem-package';

const EXAMPLES = join(__dirname, '../../../examples/problems');

describe('example problems (examples/problems)', () => {
  const names = readdirSync(EXAMPLES);

  it('has one of each kind of problem', () => {
    expect(names).toEqual(expect.arrayContaining(['a-plus-b', 'array-sum', 'two-sum', 'any-divisor', 'guess-number']));
  });

  it.each(names)('%s is a valid package', async (name) => {
    const { draft } = validateProblemPackage(await readProblemDirectory(join(EXAMPLES, name), BOUNDS), RULES);
    expect(draft.requestedId).toBe(name);
    expect(buildJudgePlan(draft).tests.length).toBe(draft.tests.length);
  });

  it('a-plus-b has public samples and hidden tests', async () => {
    const { draft } = validateProblemPackage(await readProblemDirectory(join(EXAMPLES, 'a-plus-b'), BOUNDS), RULES);
    expect(draft.tests.map((t) => [t.name, t.sample])).toEqual([
      ['sample-1', true],
      ['sample-2', true],
      ['1', false],
      ['2', false],
      ['3', false],
      ['4', false],
    ]);
    expect(draft.samples).toEqual([
      { name: 'sample-1', input: '1 2\n', output: '3\n' },
      { name: 'sample-2', input: '-5 5\n', output: '0\n' },
    ]);
  });

  it('array-sum runs "small" before "large", which depends on it', async () => {
    const { draft } = validateProblemPackage(await readProblemDirectory(join(EXAMPLES, 'array-sum'), BOUNDS), RULES);
    const plan = buildJudgePlan(draft);
    expect(plan.scoring.subtasks.map((s) => s.name)).toEqual(['samples', 'small', 'large']);
    expect(plan.tests.map((t) => t.name)).toEqual(['sample-1', 'small-1', 'small-2', 'large-1', 'large-2', 'large-3']);
  });

  it('the program checker and interactor are stored by hash with their language', async () => {
    const divisor = validateProblemPackage(await readProblemDirectory(join(EXAMPLES, 'any-divisor'), BOUNDS), RULES);
    expect(divisor.draft.checker).toEqual({ type: 'testlib', program: { language: 'cpp', source: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: expect.any(Number) } } });
    expect(divisor.data.get((divisor.draft.checker.program!.source as StoredData).sha256)!.toString()).toContain('testlib');
    const guess = validateProblemPackage(await readProblemDirectory(join(EXAMPLES, 'guess-number'), BOUNDS), RULES);
    expect(guess.draft.interactor).toEqual({ language: 'cpp', source: { sha256: expect.any(String), bytes: expect.any(Number) } });
    expect(guess.draft.tests.every((t) => t.answer.bytes === 0)).toBe(true);
  });
});
