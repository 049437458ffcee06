export * from './checker';
export * from './exact.checker';
export * from './tokens.checker';
export * from './float.checker';
export * from './lines-unordered.checker';
export * from './tokens-ci.checker';
export * from './json.checker';
export * from './checker-registry';
