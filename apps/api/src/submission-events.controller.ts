import { Controller, Headers, MessageEvent, NotFoundException, Param, ParseUUIDPipe, Sse, SseSignal } from '@nestjs/common';
import { FollowSubmission, HEARTBEAT } from '@verdict/submissions';
import { Observable, from, map } from 'rxjs';

@Controller('v1/submissions')
export class SubmissionEventsController {
  constructor(private readonly followSubmission: FollowSubmission) {}

  /**
   * Live progress as server-sent events: queued, compiling (or running), compiled, one `test` per
   * test judged, `completed` with the result, then the stream ends. `Last-Event-ID` resumes.
   */
  @Sse(':id/events')
  async events(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('submission not found') })) id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @SseSignal() signal: AbortSignal,
  ): Promise<Observable<MessageEvent>> {
    const events = await this.followSubmission.execute(id, lastEventId || undefined, signal);
    return from(events).pipe(map((event): MessageEvent => (event === HEARTBEAT ? { comment: 'heartbeat' } : { id: event.id, type: event.type, data: event.data })));
  }
}
