import { Injectable, Logger } from '@nestjs/common';
import { BatchAccepted, CreateSubmissionDto, JudgeJobPayload, RejudgeProblemDto, Requester, canAccess, isTerminalStatus } from '@verdict/contracts';
import { JUDGE_QUEUE, InjectJobQueue, JobQueue } from '@verdict/job-queues';
import { LanguageCatalog } from '@verdict/languages';
import { ProblemStore, assertCanChange, problemNotFound } from '@verdict/problems';
import { ProblemJobPlanner, SubmissionStore } from '@verdict/submissions';
import { traceIdOf, traceparentForCurrentContext, traceparentInTrace } from '@verdict/telemetry';
import { randomUUID } from 'node:crypto';
import { BatchStore } from './batch-store';

/** What a submission against a problem was accepted with (SubmissionPlanner's record of it). */
interface ProblemRequest {
  language: string;
  source: string;
  pretestsOnly: boolean;
}

/**
 * POST /v1/problems/:id/rejudge: judges the problem's final submissions again (all, those judged on
 * one version, or those with given verdicts) on its current version, as a batch of kind `rejudge`.
 * Each submission's current outcome moves to its previousJudgings and its judging number goes up;
 * the jobs go in the `rejudge` lane, below every other, each its submission's tenant's turn. Only submissions still within
 * retention are reached (the problem's index is pruned of expired ones); queued, running and
 * cancelled ones are left alone. The problem's owner and admins only (another tenant's problem is not
 * found, one merely shared with the requester is forbidden); a tenant's rejudge takes its own
 * submissions of the problem only, an admin's everyone's.
 */
@Injectable()
export class RejudgeProblem {
  private readonly logger = new Logger(RejudgeProblem.name);

  constructor(
    private readonly problems: ProblemStore,
    private readonly planner: ProblemJobPlanner,
    private readonly languages: LanguageCatalog,
    private readonly submissions: SubmissionStore,
    private readonly batches: BatchStore,
    @InjectJobQueue(JUDGE_QUEUE) private readonly queue: JobQueue<JudgeJobPayload>,
  ) {}

  async execute(problemId: string, request: RejudgeProblemDto, requester: Requester): Promise<BatchAccepted> {
    assertCanChange(problemId, requester, await this.problems.access(problemId));
    const current = await this.problems.getVersion(problemId);
    if (!current) throw problemNotFound(problemId);
    const ids = await this.submissions.idsOfProblem(problemId);
    const chosen = (await this.submissions.summaries(ids)).filter(
      (s) =>
        s !== null &&
        canAccess(requester, s.tenantId) &&
        isTerminalStatus(s.status) &&
        s.status !== 'cancelled' &&
        (request.version === undefined || s.problem?.version === request.version) &&
        (request.verdicts === undefined || (s.verdict !== null && request.verdicts.includes(s.verdict))),
    );

    const batchId = randomUUID();
    const jobs: JudgeJobPayload[] = [];
    for (const summary of chosen) {
      const original = (await this.submissions.requestOf(summary!.id)) as ProblemRequest | null;
      const language = original && this.languages.get(original.language);
      if (!original || !language) continue;
      const dto = { language: original.language, source: original.source, problemId, problemVersion: current.version, pretestsOnly: original.pretestsOnly } as CreateSubmissionDto & { problemId: string };
      const plan = await this.planner.plan(dto, language, requester).catch(() => null);
      if (!plan) continue;
      const judging = await this.submissions.startRejudging(summary!.id, { ...plan, testCount: plan.job.tests.length, batchId });
      if (judging === null) continue;
      const stored = await this.submissions.statusOf(summary!.id);
      jobs.push({ submissionId: summary!.id, traceparent: traceparentInTrace(stored?.traceId ?? traceIdOf(traceparentForCurrentContext())), language: original.language, source: original.source, lane: 'rejudge', ...(summary!.tenantId !== null && { tenantId: summary!.tenantId }), ...plan.job });
    }
    const members = jobs.map((job) => job.submissionId);
    await this.batches.create({ id: batchId, kind: 'rejudge', label: request.label ?? null, total: members.length, problemId, callbackUrl: null, tenantId: requester.tenantId, createdAt: new Date().toISOString(), traceparent: traceparentForCurrentContext() }, members);
    // The earlier judging's finished job holds the id the new one needs (job id = submission id).
    await Promise.all(members.map((id) => this.queue.removeUnstarted(id)));
    await this.queue.enqueueMany(jobs);
    this.logger.log({ batchId, problemId, version: current.version, total: members.length }, 'rejudge queued');
    return { id: batchId, status: 'queued', total: members.length, traceId: traceIdOf(traceparentForCurrentContext()) };
  }
}
