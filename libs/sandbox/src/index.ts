export * from './harness-protocol';
export * from './frame-reader';
export * from './sandbox.errors';
export * from './sandbox-session';
export * from './sandbox-runner';
export * from './sandbox.module';
export * from './sandbox-pool';
export * from './runtime-image-pins';
