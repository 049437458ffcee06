export * from './submission-policy';
export * from './submission.queue';
export * from './create-submission';
export * from './submissions.module';
export * from './problem-job-planner';
