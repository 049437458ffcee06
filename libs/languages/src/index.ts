export * from './language-definition';
export * from './language-catalog';
export * from './languages.module';
export * from './language-limits';
export * from './language-command';
export * from './language-versions';
export * from './program-layout';
export * from './language-view';
