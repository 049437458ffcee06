/**
 * The layout's rules, checked in CI (`npm run depcheck`, run by `deploy/verdict.sh test`):
 * apps are thin and nothing depends on them, libraries form no cycle, the sandbox knows containers
 * and limits only, and the contracts stand alone. Type-only imports count. docs/architecture.md.
 */
const LIBS_BUT_CONFIG = '^libs/(?!config/)[^/]+/';
module.exports = {
  forbidden: [
    {
      name: 'no-lib-imports-an-app',
      comment: 'A library never imports an app: apps wire libraries, not the other way round.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-cycles',
      comment: 'No import cycle, between files or between libraries (type-only imports count).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'sandbox-knows-no-judging',
      comment: 'libs/sandbox runs programs in containers; it knows nothing of judging, problems, checkers, results or verdicts (go-judge style).',
      severity: 'error',
      from: { path: '^libs/sandbox/' },
      to: { path: LIBS_BUT_CONFIG, pathNot: '^libs/sandbox/' },
    },
    {
      name: 'contracts-stand-alone',
      comment: 'libs/contracts defines the DTOs, messages and verdicts once, and imports no other library.',
      severity: 'error',
      from: { path: '^libs/contracts/' },
      to: { path: '^libs/', pathNot: '^libs/contracts/' },
    },
    {
      name: 'no-spec-imported',
      comment: 'Specs import what they test; nothing imports a spec.',
      severity: 'error',
      from: {},
      to: { path: '\\.(e2e-)?spec\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
  },
};
