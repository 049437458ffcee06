import { Controller, Headers, MessageEvent, NotFoundException, Param, ParseUUIDPipe, Sse, SseSignal } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FollowSubmission, HEARTBEAT } from '@verdict/submissions';
import { CurrentPrincipal, Principal } from '@verdict/tenants';
import { Observable, from, map } from 'rxjs';
import { Scopes } from './access';
import { ApiProblemResponses } from './problem-responses';

const SUBMISSION_ID = '0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11';
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
  constructor(private readonly followSubmission: FollowSubmission) {}

  /**
   * Live progress as server-sent events: queued, compiling (or running), compiled, one `test` per
   * test judged, `completed` with the result, then the stream ends. `Last-Event-ID` resumes.
   */
  @Sse(':id/events')
  @Scopes('read')
  @ApiOperation({
    operationId: 'followSubmission',
    summary: "A submission's live progress (server-sent events)",
    description:
      'Events: queued, compiling (or running), compiled, one test per test judged ({ number, of, result }), then completed with the result as GET shows it, after which the stream ends. ' +
      'A client that connects late gets the events so far; Last-Event-ID resumes after the event it names; a heartbeat comment keeps a quiet stream open.',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: SUBMISSION_ID })
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
}
