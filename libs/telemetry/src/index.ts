export * from './trace-context';
export * from './telemetry.bootstrap';
export * from './spans';
export * from './log-options';
export * from './request-span-names';
