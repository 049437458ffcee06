export * from './checker';
export * from './exact.checker';
export * from './tokens.checker';
export * from './float.checker';
export * from './checker-registry';
