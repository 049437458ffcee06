import { Controller, Headers, MessageEvent, NotFoundException, Param, ParseUUIDPipe, Post, Sse, SseSignal } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { SubmissionEventsToken } from '@verdict/contracts';
import { FollowSubmission, HEARTBEAT, IssueProgressToken } from '@verdict/submissions';
import { AcceptsProgressToken, CurrentPrincipal, PROGRESS_TOKEN_PARAMETER, Principal } from '@verdict/tenants';
import { Observable, from, map } from 'rxjs';
import { Scopes } from './access';
import { ApiProblemResponses } from './problem-responses';

const SUBMISSION_ID = '0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11';
const TOKEN_EXAMPLE =
  'vpt_eyJzdWJtaXNzaW9uSWQiOiIwYjljNGY1ZS02ZjQzLTRkOGUtOWE1MS0zYzJmMGYwZDdhMTEiLCJ0ZW5hbnRJZCI6ImFjbWUtY29udGVzdHMiLCJrZXlJZCI6ImszeVByM2YxIiwiZXhwIjoxNzk2NTg5ODUyfQ.Yd3v1bq0oXq0y6l2m5n8h1QpZ8kq3cW9xT7sR4uVb0E';
const STREAM_EXAMPLE = [
  `event: queued\nid: queued\ndata: {"id":"${SUBMISSION_ID}","status":"queued","createdAt":"2026-12-03T10:00:00.000Z","testCount":1}`,
  'event: compiling\nid: started\ndata: {"status":"running","startedAt":"2026-12-03T10:00:00.120Z"}',
  'event: compiled\nid: compiled\ndata: {"compileOutput":""}',
  ': heartbeat',
  'event: test\nid: test-0\ndata: {"number":1,"of":1,"result":{"index":0,"name":"1","verdict":"AC","cpuTimeMs":12.5,"wallTimeMs":20.1,"memoryKb":9216}}',
  `event: completed\nid: completed\ndata: {"id":"${SUBMISSION_ID}","status":"completed","verdict":"AC"}`,
].join('\n\n');

@ApiTags('submissions')
@Controller('v1/submissions')
export class SubmissionEventsController {
  constructor(
    private readonly followSubmission: FollowSubmission,
    private readonly issueProgressToken: IssueProgressToken,
  ) {}

  /**
   * Live progress as server-sent events: queued, compiling (or running), compiled, one `test` per
   * test judged, `completed` with the result, then the stream ends. `Last-Event-ID` resumes. A
   * browser's EventSource, which sends no Authorization header, sends a progress token instead.
   */
  @Sse(':id/events')
  @Scopes('read')
  @AcceptsProgressToken('id')
  @ApiOperation({
    operationId: 'followSubmission',
    summary: "A submission's live progress (server-sent events)",
    description:
      'Events: queued, compiling (or running), compiled, one test per test judged ({ number, of, result }), then completed with the result as GET shows it, after which the stream ends. ' +
      'A client that connects late gets the events so far; Last-Event-ID resumes after the event it names; a heartbeat comment keeps a quiet stream open. ' +
      'Instead of the Authorization header (which EventSource cannot send), the query may carry a progress token of this submission (POST /v1/submissions/{id}/events-token).',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: SUBMISSION_ID })
  @ApiQuery({
    name: PROGRESS_TOKEN_PARAMETER,
    required: false,
    description: 'A progress token of this submission, instead of an API key (never both): expired, forged or for another submission is a 401. An API key is never taken here.',
    schema: { type: 'string', example: 'vpt_eyJzdWJtaXNzaW9uSWQiOi...' },
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received: the stream resumes after it.' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'The event stream.', content: { 'text/event-stream': { schema: { type: 'string' }, example: STREAM_EXAMPLE } } })
  @ApiProblemResponses(`/v1/submissions/${SUBMISSION_ID}/events`, { type: 'not-found', detail: 'submission not found' })
  async events(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('submission not found') })) id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @SseSignal() signal: AbortSignal,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Observable<MessageEvent>> {
    const events = await this.followSubmission.execute(id, principal, lastEventId || undefined, signal);
    return from(events).pipe(map((event): MessageEvent => (event === HEARTBEAT ? { comment: 'heartbeat' } : { id: event.id, type: event.type, data: event.data })));
  }

  @Post(':id/events-token')
  @Scopes('read')
  @ApiOperation({
    operationId: 'createSubmissionEventsToken',
    summary: "A short-lived read-only token for a submission's live progress, for browsers (EventSource)",
    description:
      'The token opens GET /v1/submissions/{id}/events of this submission only, as ?access_token= (eventsUrl), for PROGRESS_TOKEN_TTL_SECONDS (default 300); nothing else takes it. ' +
      "It acts for the key's tenant with the read scope, and is not revoked with the key: it simply expires. Mint it server-side and hand the browser the URL, never the API key.",
  })
  @ApiParam({ name: 'id', format: 'uuid', example: SUBMISSION_ID })
  @ApiCreatedResponse({
    type: SubmissionEventsToken,
    example: { token: TOKEN_EXAMPLE, expiresAt: '2026-12-03T10:05:00.000Z', eventsUrl: `/v1/submissions/${SUBMISSION_ID}/events?${PROGRESS_TOKEN_PARAMETER}=${TOKEN_EXAMPLE}` },
  })
  @ApiProblemResponses(`/v1/submissions/${SUBMISSION_ID}/events-token`, { type: 'not-found', detail: 'submission not found' })
  async eventsToken(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('submission not found') })) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubmissionEventsToken> {
    const { token, expiresAt } = await this.issueProgressToken.execute(id, principal);
    return { token, expiresAt: expiresAt.toISOString(), eventsUrl: `/v1/submissions/${id}/events?${PROGRESS_TOKEN_PARAMETER}=${encodeURIComponent(token)}` };
  }
}
