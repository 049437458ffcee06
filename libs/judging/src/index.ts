export * from './run-classification';
export * from './judge-progress';
export * from './judge-submission';
export * from './judging.module';
export * from './run-judge-job';
export * from './prepare-judging';
