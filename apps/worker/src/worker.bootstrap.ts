import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { memoizeValidationMetadata } from '@verdict/contracts';
import { Logger } from 'nestjs-pino';
import { JudgeJobProcessor } from './judge-job.processor';
import { WorkerModule } from './worker.module';

/**
 * Creates and starts a worker (no HTTP server); shared by main.ts and the end-to-end tests. Rejects,
 * with everything closed again, when the worker is not fit to judge (e.g. runtime images not pinned).
 */
export async function startWorker(env?: NodeJS.ProcessEnv): Promise<INestApplicationContext> {
  memoizeValidationMetadata();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  await app.init();
  try {
    await app.get(JudgeJobProcessor).start();
  } catch (error) {
    // A worker that cannot judge must not keep connections or sandboxes open behind its error.
    await app.close();
    throw error;
  }
  return app;
}
