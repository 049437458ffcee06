import { Body, Controller, Delete, Get, Headers, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CancelBatch, CreateBatch, CreateBatchAndWait, GetBatch, GetBatchResults } from '@verdict/batches';
import { BatchAccepted, BatchCancelled, BatchResultsPage, BatchResultsQuery, BatchView, CreateBatchDto, CreateBatchQuery } from '@verdict/contracts';
import { CurrentPrincipal, Principal } from '@verdict/tenants';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Scopes } from './access';
import { ApiProblemResponses, JSON_BODY_PROBLEMS } from './problem-responses';
import { SUBMISSION_EXAMPLE } from './submissions.controller';

const BATCH_ID = '6d1f2c7e-2b0a-4a55-9b57-0f7f3b8f1e21';
const NDJSON = 'application/x-ndjson';
const batchId = () => new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('batch not found') });

@ApiTags('batches')
@Controller('v1/batches')
export class BatchesController {
  constructor(
    private readonly createBatch: CreateBatch,
    private readonly createBatchAndWait: CreateBatchAndWait,
    private readonly getBatch: GetBatch,
    private readonly getResults: GetBatchResults,
    private readonly cancelBatch: CancelBatch,
  ) {}

  @Post()
  // Above @Scopes: this 403 lists the missing scope and the key's lanes (a later 403 would replace @Scopes' one).
  @ApiProblemResponses(
    '/v1/batches',
    { type: 'forbidden', name: 'missing-scope', detail: 'API key k3yPr3f1 lacks the scope "submit" this operation needs' },
    {
      type: 'forbidden',
      name: 'lane-not-allowed',
      detail: 'this API key may not use lane contest; it may use practice',
      errors: [{ field: 'lane', message: 'this API key may not use lane contest; it may use practice' }],
    },
  )
  @Scopes('submit')
  @HttpCode(202)
  @ApiOperation({ operationId: 'createBatch', summary: 'Submit many submissions at once (up to MAX_BATCH_SIZE, default 10,000): accepted whole or refused whole' })
  @ApiBody({
    type: CreateBatchDto,
    examples: {
      contest: {
        summary: 'Two submissions',
        value: {
          label: 'contest 42, final',
          submissions: [
            { language: 'python', source: 'print(sum(map(int, input().split())))\n', tests: [{ input: '1 2\n', expectedOutput: '3\n' }] },
            { language: 'cpp', source: '#include <iostream>\nint main() { long a, b; std::cin >> a >> b; std::cout << a + b; }\n', problemId: 'a-plus-b' },
          ],
        },
      },
    },
  })
  @ApiAcceptedResponse({ type: BatchAccepted, description: 'Every submission stored and queued.', example: { id: BATCH_ID, status: 'queued', total: 2, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' } })
  @ApiProblemResponses(
    '/v1/batches',
    {
      type: 'invalid-request',
      detail: 'submissions[1].language "cobol" is not supported; supported: python, cpp, go, java, javascript, c, rust',
      errors: [{ field: 'submissions[1].language', message: 'submissions[1].language "cobol" is not supported; supported: python, cpp, go, java, javascript, c, rust' }],
    },
    ...JSON_BODY_PROBLEMS,
  )
  @ApiOkResponse({ type: BatchResultsPage, description: 'With wait=true (a batch of one), judged within the bound: its results page, as GET /v1/batches/:id/results shows it.', example: { items: [SUBMISSION_EXAMPLE], nextCursor: null } })
  async create(
    @Body() body: CreateBatchDto,
    @Query() query: CreateBatchQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BatchAccepted | BatchResultsPage> {
    if (query.wait !== 'true') return this.createBatch.execute(body, principal);
    const { accepted, results } = await this.createBatchAndWait.execute(body, principal);
    if (!results) return accepted;
    reply.status(200);
    return results;
  }

  @Get(':id')
  @Scopes('read')
  @ApiOperation({ operationId: 'getBatch', summary: "A batch's counts by status and verdict, progress and timestamps" })
  @ApiParam({ name: 'id', format: 'uuid', example: BATCH_ID })
  @ApiOkResponse({
    type: BatchView,
    example: {
      id: BATCH_ID, kind: 'batch', label: 'contest 42, final', total: 2, statuses: { queued: 0, running: 0, completed: 2, failed: 0, cancelled: 0 },
      verdicts: { AC: 1, WA: 1 }, finished: 2, progress: 1, problemId: null, createdAt: '2026-12-03T10:00:00.000Z', finishedAt: '2026-12-03T10:00:03.200Z',
    },
  })
  @ApiProblemResponses(`/v1/batches/${BATCH_ID}`, { type: 'not-found', detail: 'batch not found' })
  get(@Param('id', batchId()) id: string, @CurrentPrincipal() principal: Principal): Promise<BatchView> {
    return this.getBatch.execute(id, principal);
  }

  @Get(':id/results')
  @Scopes('read')
  @ApiOperation({ operationId: 'getBatchResults', summary: "The members' results in batch order: a page at a time, or all as JSON lines (Accept: application/x-ndjson)" })
  @ApiParam({ name: 'id', format: 'uuid', example: BATCH_ID })
  @ApiHeader({ name: 'Accept', required: false, description: `${NDJSON}: every result, one JSON object (a SubmissionView) a line, in batch order; cursor and limit are ignored.` })
  @ApiProduces('application/json', NDJSON)
  @ApiOkResponse({
    type: BatchResultsPage,
    description: 'Each item as GET /v1/submissions/:id shows it (hidden tests cut to the feedback level).',
    example: { items: [SUBMISSION_EXAMPLE], nextCursor: '100' },
  })
  @ApiProblemResponses(
    `/v1/batches/${BATCH_ID}/results`,
    { type: 'invalid-request', detail: 'limit must not be greater than 1000', errors: [{ field: 'limit', message: 'limit must not be greater than 1000' }] },
    { type: 'not-found', detail: 'batch not found' },
  )
  async results(
    @Param('id', batchId()) id: string,
    @Query() query: BatchResultsQuery,
    @Res() reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept?: string,
  ): Promise<void> {
    if (!accept?.includes(NDJSON)) {
      await reply.send(await this.getResults.execute(id, principal, query.cursor, query.limit));
      return;
    }
    const views = await this.getResults.stream(id, principal);
    // Streamed as read, with the socket's backpressure: a 10,000-member batch is never held as one string.
    await reply.status(200).type(NDJSON).send(Readable.from(ndjsonLines(views)));
  }

  @Delete(':id')
  @Scopes('submit')
  @ApiOperation({ operationId: 'cancelBatch', summary: 'Cancel the members that have not started (they end cancelled); running ones finish' })
  @ApiParam({ name: 'id', format: 'uuid', example: BATCH_ID })
  @ApiOkResponse({ type: BatchCancelled, description: 'How many members were cancelled.', example: { cancelled: 2 } })
  @ApiProblemResponses(`/v1/batches/${BATCH_ID}`, { type: 'not-found', detail: 'batch not found' })
  cancel(@Param('id', batchId()) id: string, @CurrentPrincipal() principal: Principal): Promise<BatchCancelled> {
    return this.cancelBatch.execute(id, principal);
  }
}

async function* ndjsonLines(views: AsyncIterable<unknown>): AsyncGenerator<string> {
  for await (const view of views) yield `${JSON.stringify(view)}\n`;
}
