import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TestDataSource } from '@verdict/judging';
import { TestDataCache } from '@verdict/problems';
import { Logger } from 'nestjs-pino';
import { SubmissionProcessor } from '../../apps/worker/src/submission.processor';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { VerdictStack } from './verdict-stack';

/**
 * Starts a worker of `stack` (like `stack.startWorker`) whose TestDataSource is the TestDataCache, so
 * it judges problems' stored tests. Harmless once judging.module.ts provides the cache itself.
 */
export async function startWorkerWithTestDataCache(stack: VerdictStack, overrides: NodeJS.ProcessEnv = {}): Promise<INestApplicationContext> {
  const worker = await Test.createTestingModule({ imports: [WorkerModule.forRoot({ ...stack.env, ...overrides })] })
    .overrideProvider(TestDataSource)
    .useClass(TestDataCache)
    .compile();
  worker.useLogger(worker.get(Logger));
  await worker.init();
  try {
    await worker.get(SubmissionProcessor).start();
  } catch (error) {
    await worker.close();
    throw error;
  }
  stack.workers.push(worker);
  return worker;
}

/** The worker's test data cache (its hits and downloads). */
export function testDataCacheOf(worker: INestApplicationContext): TestDataCache {
  const source = worker.get(TestDataSource);
  if (!(source instanceof TestDataCache)) throw new Error('this worker does not use the TestDataCache');
  return source;
}
