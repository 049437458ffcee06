import { Injectable } from '@nestjs/common';
import { SubmissionPolicyConfig } from '@verdict/config';
import { CreateSubmissionDto, DomainError, FieldError, Limits, TestCaseDto, resolveLimits } from '@verdict/contracts';
import { LanguageCatalog } from '@verdict/languages';

/** A request that is well-formed but asks for something this deployment does not allow. */
export class SubmissionRejectedError extends DomainError {
  readonly kind = 'invalid';
}

/**
 * The configurable rules for a submission (known language, limits within bounds, test count and
 * size), checked after the body's shape has been validated. Reports every problem at once.
 */
@Injectable()
export class SubmissionPolicy {
  constructor(
    private readonly config: SubmissionPolicyConfig,
    private readonly languages: LanguageCatalog,
  ) {}

  /** A submission with inline tests: returns the limits it gets (defaults filled in), or throws naming each problem. */
  check(request: CreateSubmissionDto & { tests: TestCaseDto[] }): Limits {
    const c = this.config;
    const problems = this.languageProblems(request.language);
    if (request.tests.length > c.MAX_TESTS) problems.push({ field: 'tests', message: `tests must contain at most ${c.MAX_TESTS} tests (got ${request.tests.length})` });
    const testBytes = request.tests.reduce((sum, t) => sum + Buffer.byteLength(t.input) + Buffer.byteLength(t.expectedOutput), 0);
    if (testBytes > c.MAX_TEST_DATA_KB * 1024) {
      problems.push({ field: 'tests', message: `tests must hold at most ${c.MAX_TEST_DATA_KB} KiB of input and expected output in all (got ${Math.ceil(testBytes / 1024)} KiB)` });
    }

    const resolved = resolveLimits(request.limits, c.limitBounds());
    problems.push(...resolved.problems.map((p) => ({ field: p.field, message: `${p.field} ${p.message}` })));
    if (problems.length > 0) throw new SubmissionRejectedError(problems);
    return resolved.limits;
  }

  /** A submission against a problem: the problem brings tests and limits (bounded when it was uploaded). */
  checkProblemSubmission(request: CreateSubmissionDto): void {
    const problems = this.languageProblems(request.language);
    if (problems.length > 0) throw new SubmissionRejectedError(problems);
  }

  private languageProblems(language: string): FieldError[] {
    if (this.languages.get(language)) return [];
    return [{ field: 'language', message: `language "${language}" is not supported; supported: ${this.languages.ids().join(', ')}` }];
  }
}
