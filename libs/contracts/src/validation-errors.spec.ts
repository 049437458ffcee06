import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateSubmissionDto } from './submission.dto';
import { RequestValidationError, describeValidationErrors, validationFieldErrors } from './validation-errors';

const errorsOf = (body: object) => validateSync(plainToInstance(CreateSubmissionDto, body), { whitelist: true, forbidNonWhitelisted: true });

describe('validationFieldErrors', () => {
  it('names each field by its full path, array items in brackets, in the message too', () => {
    const errors = errorsOf({ language: 'python', source: '', tests: [{ input: '', expectedOutput: '' }, { input: 5 }], checker: { type: 'regex' }, extra: 1 });
    expect(validationFieldErrors(errors)).toEqual(
      expect.arrayContaining([
        { field: 'source', message: 'source must not be empty' },
        { field: 'tests[1].input', message: 'tests[1].input must be a string' },
        { field: 'tests[1].expectedOutput', message: 'tests[1].expectedOutput must be a string' },
        { field: 'checker.type', message: 'checker.type must be one of: exact, tokens, float, lines-unordered, tokens-ci' },
        { field: 'extra', message: 'extra: property extra should not exist' },
      ]),
    );
    expect(describeValidationErrors(errors)).toContain('tests[1].input must be a string');
  });

  it('becomes an invalid-kind domain error listing every problem', () => {
    const error = new RequestValidationError(errorsOf({ source: 'x', tests: [{ input: 1, expectedOutput: '' }] }));
    expect(error.kind).toBe('invalid');
    expect(error.problems).toEqual(expect.arrayContaining([{ field: 'language', message: 'language must be a string' }, { field: 'tests[0].input', message: 'tests[0].input must be a string' }]));
  });
});
