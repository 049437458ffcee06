import { Body, ConflictException, Controller, Delete, Get, Headers, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CreateSubmissionDto, CreateSubmissionQuery, GetSubmissionQuery, SubmissionAccepted, SubmissionCancelled, SubmissionView } from '@verdict/contracts';
import { CancelSubmission, CreateSubmission, GetSubmission, WaitForResult } from '@verdict/submissions';
import { CurrentPrincipal, Principal } from '@verdict/tenants';
import type { FastifyReply } from 'fastify';
import { Scopes } from './access';
import { ApiProblemResponses, JSON_BODY_PROBLEMS } from './problem-responses';

/** A judged submission as GET shows it: the example of every answer that carries one. */
export const SUBMISSION_EXAMPLE = {
  id: '0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11',
  status: 'completed',
  language: 'python',
  verdict: 'AC',
  tests: [
    {
      index: 0,
      name: '1',
      verdict: 'AC',
      cpuTimeMs: 12.5,
      cpuTimeMsRuns: [12.5],
      wallTimeMs: 20.1,
      memoryKb: 9216,
      exitCode: 0,
      signal: null,
      stdout: '3\n',
      stdoutTruncated: false,
      stderr: '',
      stderrTruncated: false,
      message: '',
      score: 1,
    },
  ],
  testCount: 1,
  passedTests: 1,
  firstFailedTest: null,
  score: 100,
  maxScore: 100,
  subtasks: [{ name: 'all', points: 100, maxPoints: 100, verdict: 'AC', skipped: null, tests: [0] }],
  problem: null,
  compileOutput: null,
  message: null,
  limits: { cpuTimeMs: 2000, wallTimeMs: 5000, memoryMb: 256, outputKb: 1024 },
  limitMultipliers: null,
  feedback: null,
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  createdAt: '2026-12-03T10:00:00.000Z',
  startedAt: '2026-12-03T10:00:00.120Z',
  finishedAt: '2026-12-03T10:00:00.410Z',
  judging: 1,
  previousJudgings: [],
  batchId: null,
  tenantId: 'acme-contests',
};

/** An id that is not a UUID names no submission: 404, as for an unknown one. */
const submissionId = () => new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('submission not found') });

@ApiTags('submissions')
@Controller('v1/submissions')
export class SubmissionsController {
  constructor(
    private readonly createSubmission: CreateSubmission,
    private readonly getSubmission: GetSubmission,
    private readonly cancelSubmission: CancelSubmission,
    private readonly waitForResult: WaitForResult,
  ) {}

  @Post()
  // Above @Scopes: this 403 lists the missing scope and the key's lanes (a later 403 would replace @Scopes' one).
  @ApiProblemResponses(
    '/v1/submissions',
    { type: 'forbidden', name: 'missing-scope', detail: 'API key k3yPr3f1 lacks the scope "submit" this operation needs' },
    {
      type: 'forbidden',
      name: 'lane-not-allowed',
      detail: "this API key may not use lane live (a submission's default when lane is not set: set lane to one the key may use); it may use contest, practice",
      errors: [{ field: 'lane', message: "this API key may not use lane live (a submission's default when lane is not set: set lane to one the key may use); it may use contest, practice" }],
    },
  )
  @Scopes('submit')
  @HttpCode(202)
  @ApiOperation({ operationId: 'createSubmission', summary: 'Submit code: with inline tests, or against a problem' })
  @ApiHeader({
    name: 'idempotency-key',
    required: false,
    description: "A retried POST with the same key (within the key's tenant) gets the first submission back instead of judging twice; the same key with a different request is a 422.",
  })
  @ApiBody({
    type: CreateSubmissionDto,
    examples: {
      inline: {
        summary: 'Inline tests',
        value: { language: 'python', source: 'print(sum(map(int, input().split())))\n', tests: [{ input: '1 2\n', expectedOutput: '3\n' }], limits: { cpuTimeMs: 2000 }, checker: { type: 'tokens' } },
      },
      problem: { summary: 'Against a problem', value: { language: 'cpp', source: '#include <iostream>\nint main() { long a, b; std::cin >> a >> b; std::cout << a + b; }\n', problemId: 'a-plus-b', problemVersion: 1 } },
    },
  })
  @ApiAcceptedResponse({ type: SubmissionAccepted, description: 'Queued for judging.', example: { id: SUBMISSION_EXAMPLE.id, status: 'queued', traceId: SUBMISSION_EXAMPLE.traceId } })
  @ApiProblemResponses(
    '/v1/submissions',
    {
      type: 'invalid-request',
      detail: 'tests[0].input must be a string; language "cobol" is not supported; supported: python, cpp, go, java, javascript, c, rust',
      errors: [
        { field: 'tests[0].input', message: 'tests[0].input must be a string' },
        { field: 'language', message: 'language "cobol" is not supported; supported: python, cpp, go, java, javascript, c, rust' },
      ],
    },
    {
      type: 'unprocessable',
      detail: 'Idempotency-Key "retry-7" was already used for a different request; use a new key for a new submission',
      errors: [{ field: 'idempotency-key', message: 'Idempotency-Key "retry-7" was already used for a different request; use a new key for a new submission' }],
    },
    ...JSON_BODY_PROBLEMS,
  )
  @ApiOkResponse({ type: SubmissionView, description: 'With wait=true, judged within the bound: the result, as GET /v1/submissions/:id shows it.', example: SUBMISSION_EXAMPLE })
  async create(
    @Body() body: CreateSubmissionDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Query() query: CreateSubmissionQuery,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<SubmissionAccepted | SubmissionView> {
    const accepted = await this.createSubmission.execute(body, principal, idempotencyKey?.slice(0, 200) || undefined);
    if (query.wait !== 'true') return accepted;
    const result = await this.waitForResult.execute(accepted.id);
    if (!result) return accepted;
    response.status(200);
    return result;
  }

  @Get(':id')
  @Scopes('read')
  @ApiOperation({ operationId: 'getSubmission', summary: "A submission's status and, once judged, its result" })
  @ApiParam({ name: 'id', format: 'uuid', example: SUBMISSION_EXAMPLE.id })
  @ApiOkResponse({ type: SubmissionView, example: SUBMISSION_EXAMPLE })
  @ApiProblemResponses(
    `/v1/submissions/${SUBMISSION_EXAMPLE.id}`,
    { type: 'not-found', detail: 'submission not found' },
    {
      type: 'forbidden',
      name: 'full-feedback',
      detail: 'feedback=full: hidden tests of problem "a-plus-b" are shown in full only to its owner and to admins',
      errors: [{ field: 'feedback', message: 'feedback=full: hidden tests of problem "a-plus-b" are shown in full only to its owner and to admins' }],
    },
    { type: 'invalid-request', detail: 'feedback must be full (or left out)', errors: [{ field: 'feedback', message: 'feedback must be full (or left out)' }] },
  )
  get(@Param('id', submissionId()) id: string, @Query() query: GetSubmissionQuery, @CurrentPrincipal() principal: Principal): Promise<SubmissionView> {
    return this.getSubmission.execute(id, principal, query.feedback);
  }

  @Delete(':id')
  @Scopes('submit')
  @ApiOperation({ operationId: 'cancelSubmission', summary: 'Cancel a submission that has not started: it ends cancelled (its webhook fires); one already running finishes' })
  @ApiParam({ name: 'id', format: 'uuid', example: SUBMISSION_EXAMPLE.id })
  @ApiOkResponse({ type: SubmissionCancelled, example: { id: SUBMISSION_EXAMPLE.id, status: 'cancelled' } })
  @ApiProblemResponses(
    `/v1/submissions/${SUBMISSION_EXAMPLE.id}`,
    { type: 'not-found', detail: 'submission not found' },
    { type: 'conflict', detail: `submission ${SUBMISSION_EXAMPLE.id} is running or finished: only a queued submission can be cancelled` },
  )
  async cancel(@Param('id', submissionId()) id: string, @CurrentPrincipal() principal: Principal): Promise<SubmissionCancelled> {
    const outcome = await this.cancelSubmission.execute(id, principal);
    if (outcome === 'unknown') throw new NotFoundException('submission not found');
    if (outcome === 'started') throw new ConflictException(`submission ${id} is running or finished: only a queued submission can be cancelled`);
    return { id, status: 'cancelled' };
  }
}
