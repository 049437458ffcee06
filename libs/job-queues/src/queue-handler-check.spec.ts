import { JUDGE_QUEUE } from './judge.queue';
import { declareQueue } from './queue-declaration';
import { queueHandlerProblems } from './queue-handler-check';

class OtherConfig {}
class OtherPayload {}
const OTHER_QUEUE = declareQueue({ name: 'other', jobName: 'x', payload: OtherPayload, config: OtherConfig, jobOptions: () => ({}) });

describe('queueHandlerProblems (start-up check of a process\'s queues)', () => {
  it('exactly one handler per consumed queue is fine', () => {
    expect(queueHandlerProblems([JUDGE_QUEUE], [{ handler: 'JudgeJobProcessor', queue: 'submissions', dispatchesFairly: true }])).toEqual([]);
  });

  it('a consumed queue without a handler is named', () => {
    expect(queueHandlerProblems([JUDGE_QUEUE, OTHER_QUEUE], [{ handler: 'JudgeJobProcessor', queue: 'submissions', dispatchesFairly: true }])).toEqual([
      'queue "other" has no handler (a @QueueHandler processor among this process\'s providers)',
    ]);
  });

  it('two handlers of one queue are named, both of them', () => {
    const problems = queueHandlerProblems([JUDGE_QUEUE], [
      { handler: 'A', queue: 'submissions', dispatchesFairly: true },
      { handler: 'B', queue: 'submissions', dispatchesFairly: true },
    ]);
    expect(problems).toEqual(['queue "submissions" has 2 handlers (A, B); it needs exactly one']);
  });

  it('a handler of a queue the process does not consume is named', () => {
    expect(queueHandlerProblems([JUDGE_QUEUE], [
      { handler: 'JudgeJobProcessor', queue: 'submissions', dispatchesFairly: true },
      { handler: 'Stray', queue: 'other', dispatchesFairly: true },
    ])).toEqual(['Stray handles queue "other", which this process does not consume (JobQueuesModule.forConsumers)']);
  });
});
