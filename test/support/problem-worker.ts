import { INestApplicationContext } from '@nestjs/common';
import { TestDataSource } from '@verdict/judging';
import { TestDataCache } from '@verdict/judging';

/** The worker's test data cache (its hits and downloads). */
export function testDataCacheOf(worker: INestApplicationContext): TestDataCache {
  const source = worker.get(TestDataSource);
  if (!(source instanceof TestDataCache)) throw new Error('this worker does not use the TestDataCache');
  return source;
}
