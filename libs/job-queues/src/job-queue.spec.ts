import { JudgeQueueConfig, loadConfig } from '@verdict/config';
import { JudgeJobPayload, defaultScoringPlan } from '@verdict/contracts';
import { Queue } from 'bullmq';
import { JobQueue } from './job-queue';
import { JUDGE_QUEUE } from './judge.queue';
import { readPayload } from './queue-declaration';

const PAYLOAD = {
  submissionId: '0c8a4f5e-1b2c-4d3e-8f90-a1b2c3d4e5f6',
  traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01',
  language: 'python',
  source: 'print(input())',
  lane: 'live',
  kind: 'stdio',
  tests: [{ index: 0, name: '1', input: { text: 'a' }, answer: { text: 'a' } }],
  limits: { cpuTimeMs: 1000, wallTimeMs: 3000, memoryMb: 256, outputKb: 64 },
  checker: { type: 'exact' },
  scoring: defaultScoringPlan(1),
} as unknown as JudgeJobPayload;

/** The few Queue methods a producer uses, recording what was added. */
function fakeQueue(): { queue: Queue; added: { name: string; data: unknown; opts: unknown }[]; bulks: number[] } {
  const added: { name: string; data: unknown; opts: unknown }[] = [];
  const bulks: number[] = [];
  const queue = {
    add: async (name: string, data: unknown, opts: unknown) => void added.push({ name, data, opts }),
    addBulk: async (jobs: { name: string; data: unknown; opts: unknown }[]) => {
      bulks.push(jobs.length);
      added.push(...jobs);
    },
  } as unknown as Queue;
  return { queue, added, bulks };
}

describe('JobQueue (the producer side of a declared queue)', () => {
  const config = loadConfig(JudgeQueueConfig, { JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '500', JOB_RETENTION_SECONDS: '600' });

  it('adds the job under the declared job name with the options the declaration derives from config and payload', async () => {
    expect(readPayload(JUDGE_QUEUE, PAYLOAD)).toHaveProperty('payload');
    const { queue, added } = fakeQueue();
    await new JobQueue(JUDGE_QUEUE, queue, config).enqueue(PAYLOAD);
    expect(added).toEqual([
      {
        name: 'judge',
        data: PAYLOAD,
        opts: {
          jobId: PAYLOAD.submissionId,
          attempts: 3,
          backoff: { type: 'exponential', delay: 500 },
          removeOnComplete: { age: 600, count: 100000 },
          removeOnFail: { age: 600, count: 100000 },
        },
      },
    ]);
  });

  it('enqueueMany adds in chunks of addBulk, each job with its declared options', async () => {
    const { queue, added, bulks } = fakeQueue();
    const payloads = Array.from({ length: 2500 }, (_, i) => ({ ...PAYLOAD, submissionId: PAYLOAD.submissionId.replace(/.{4}$/, String(1000 + i))}) as JudgeJobPayload);
    await new JobQueue(JUDGE_QUEUE, queue, config).enqueueMany(payloads);
    expect(bulks).toEqual([1000, 1000, 500]);
    expect(added.map((job) => (job.opts as { jobId: string }).jobId)).toEqual(payloads.map((p) => p.submissionId));
    expect(added[0].opts).toMatchObject({ attempts: 3 });
  });

  it('readPayload names what is wrong with data that is not an object at all', () => {
    expect(readPayload(JUDGE_QUEUE, [1, 2])).toEqual({ problems: ['payload must be an object'] });
    expect(readPayload(JUDGE_QUEUE, null)).toEqual({ problems: ['payload must be an object'] });
  });
});
