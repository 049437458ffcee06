import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@verdict/tenants';
import { ListSubmissionDeliveries, RedeliverSubmissionWebhook, RedeliveryStarted, SubmissionDeliveries } from '@verdict/webhooks';
import { Scopes } from './access';
import { ApiProblemResponses } from './problem-responses';

const SUBMISSION_ID = '0b9c4f5e-6f43-4d8e-9a51-3c2f0f0d7a11';
const EVENT_ID = `msg_${SUBMISSION_ID}_1`;

/** A submission's webhook deliveries: every try of each, and a redelivery on request. */
@ApiTags('webhooks')
@Controller('v1/submissions/:id/deliveries')
export class WebhookDeliveriesController {
  constructor(
    private readonly listDeliveries: ListSubmissionDeliveries,
    private readonly redeliver: RedeliverSubmissionWebhook,
  ) {}

  @Get()
  @Scopes('read')
  @ApiOperation({ operationId: 'listSubmissionDeliveries', summary: "A submission's webhook deliveries, each with every try" })
  @ApiParam({ name: 'id', format: 'uuid', example: SUBMISSION_ID })
  @ApiOkResponse({
    type: SubmissionDeliveries,
    example: {
      submissionId: SUBMISSION_ID,
      deliveries: [
        {
          eventId: EVENT_ID,
          type: 'submission.completed',
          url: 'https://grader.example/verdicts',
          createdAt: '2026-12-03T10:00:00.450Z',
          state: 'delivered',
          redeliveries: 0,
          attempts: [
            { attempt: 1, run: 0, startedAt: '2026-12-03T10:00:00.500Z', durationMs: 41, statusCode: 503, error: null, responseBody: 'busy', responseBodyTruncated: false, state: 'pending', nextAttemptAt: '2026-12-03T10:00:05.800Z' },
            { attempt: 2, run: 0, startedAt: '2026-12-03T10:00:05.810Z', durationMs: 12, statusCode: 204, error: null, responseBody: '', responseBodyTruncated: false, state: 'delivered', nextAttemptAt: null },
          ],
        },
      ],
    },
  })
  @ApiProblemResponses(`/v1/submissions/${SUBMISSION_ID}/deliveries`, { type: 'not-found', detail: `submission ${SUBMISSION_ID} not found` })
  list(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<SubmissionDeliveries> {
    return this.listDeliveries.execute(id, principal);
  }

  @Post('redeliver')
  @Scopes('submit')
  @HttpCode(202)
  @ApiOperation({ operationId: 'redeliverSubmissionWebhook', summary: "Send a submission's latest webhook again, under the same event id" })
  @ApiParam({ name: 'id', format: 'uuid', example: SUBMISSION_ID })
  @ApiAcceptedResponse({ type: RedeliveryStarted, example: { eventId: EVENT_ID, run: 1, state: 'pending' } })
  @ApiProblemResponses(
    `/v1/submissions/${SUBMISSION_ID}/deliveries/redeliver`,
    { type: 'not-found', detail: `submission ${SUBMISSION_ID} not found` },
    { type: 'conflict', detail: `submission ${SUBMISSION_ID} has no webhook event to redeliver: it has no callbackUrl, or is not finished yet` },
  )
  redeliverLatest(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<RedeliveryStarted> {
    return this.redeliver.execute(id, principal);
  }
}
