import { CHECKER_TYPES, FEEDBACK_LEVELS, JUDGE_KINDS, SUBTASK_AGGREGATIONS } from '@verdict/contracts';
import schema from './problem.schema.json';
import { DIFFICULTIES } from './problem-version';

/**
 * problem.yaml's JSON Schema names the same values as the code, which is the one source of each
 * list: a checker, kind, level or aggregation added in the code and not in the schema (or the other
 * way round) fails here, not in a user's upload.
 */
describe('problem.schema.json agrees with the code', () => {
  const properties = schema.properties as Record<string, any>;

  it('checker types', () => {
    expect([...properties.checker.properties.type.enum].sort()).toEqual([...CHECKER_TYPES].sort());
  });

  it('judge kinds', () => {
    expect([...properties.kind.enum].sort()).toEqual([...JUDGE_KINDS].sort());
  });

  it('feedback levels', () => {
    expect([...properties.feedback.enum].sort()).toEqual([...FEEDBACK_LEVELS].sort());
  });

  it('subtask aggregations', () => {
    expect([...properties.subtasks.items.properties.aggregation.enum].sort()).toEqual([...SUBTASK_AGGREGATIONS].sort());
  });

  it('named difficulties', () => {
    expect(properties.difficulty.anyOf[0].enum).toEqual([...DIFFICULTIES]);
  });
});
