import { Injectable } from '@nestjs/common';
import { SubmissionPolicyConfig } from '@verdict/config';
import { CreateSubmissionDto, DomainError, FieldError, Limits, Quotas, TestCaseDto, resolveLimits } from '@verdict/contracts';
import { LanguageCatalog } from '@verdict/languages';

/** A request that is well-formed but asks for something this deployment does not allow. */
export class SubmissionRejectedError extends DomainError {
  readonly kind = 'invalid';
}

/**
 * The configurable rules for a submission (known language, limits within bounds, test count and
 * size, the tenant's quotas: tests per submission, source size), checked after the body's shape has
 * been validated. Reports every problem at once. A quota beyond a global bound lifts nothing: the
 * smaller of the two applies, and the message names the one that does.
 */
@Injectable()
export class SubmissionPolicy {
  constructor(
    private readonly config: SubmissionPolicyConfig,
    private readonly languages: LanguageCatalog,
  ) {}

  /** A submission with inline tests: returns the limits it gets (defaults filled in), or throws naming each problem. */
  check(request: CreateSubmissionDto & { tests: TestCaseDto[] }, quotas: Quotas): Limits {
    const c = this.config;
    const problems = [...this.languageProblems(request.language), ...sourceProblems(request, quotas)];
    if (request.tests.length > c.MAX_TESTS) problems.push({ field: 'tests', message: `tests must contain at most ${c.MAX_TESTS} tests (got ${request.tests.length})` });
    else if (request.tests.length > quotas.maxTestsPerSubmission) {
      problems.push({ field: 'tests', message: `tests must contain at most ${quotas.maxTestsPerSubmission} tests, the tenant's maxTestsPerSubmission quota (got ${request.tests.length})` });
    }
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
  checkProblemSubmission(request: CreateSubmissionDto, quotas: Quotas): void {
    const problems = [...this.languageProblems(request.language), ...sourceProblems(request, quotas)];
    if (problems.length > 0) throw new SubmissionRejectedError(problems);
  }

  /** A submission against a problem, once planned: the tests it would run (all, or the pretests) within the tenant's quota. */
  checkProblemTests(request: CreateSubmissionDto & { problemId: string }, testCount: number, quotas: Quotas): void {
    if (testCount <= quotas.maxTestsPerSubmission) return;
    const which = request.pretestsOnly ? 'pretests' : 'tests';
    throw new SubmissionRejectedError({
      field: 'problemId',
      message: `problemId names a problem whose judging runs ${testCount} ${which}, more than the tenant's maxTestsPerSubmission quota of ${quotas.maxTestsPerSubmission}`,
    });
  }

  private languageProblems(language: string): FieldError[] {
    if (this.languages.get(language)) return [];
    return [{ field: 'language', message: `language "${language}" is not supported; supported: ${this.languages.ids().join(', ')}` }];
  }
}

/** The source within the tenant's quota (MAX_SOURCE_BYTES, the DTO's bound, is checked before: it is the ceiling). */
function sourceProblems(request: CreateSubmissionDto, quotas: Quotas): FieldError[] {
  const bytes = Buffer.byteLength(request.source);
  if (bytes <= quotas.maxSourceBytes) return [];
  return [{ field: 'source', message: `source must be at most ${quotas.maxSourceBytes} bytes, the tenant's maxSourceBytes quota (got ${bytes})` }];
}
