export * from './trace-context';
export * from './telemetry.bootstrap';
