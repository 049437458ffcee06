/**
 * The layout's rules, checked in CI (`npm run depcheck`, run by `deploy/verdict.sh test`):
 * apps are thin and nothing depends on them, libraries form no cycle, the sandbox knows containers
 * and limits only, and the contracts stand alone. Type-only imports count. docs/architecture.md.
 */
const LIBS_BUT_CONFIG = '^libs/(?!config/)[^/]+/';
/** What the sandbox may import besides itself: configuration, and the metrics it records (containers, not verdicts). */
const LIBS_BUT_CONFIG_AND_METRICS = '^libs/(?!config/|metrics/)[^/]+/';
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
      to: { path: LIBS_BUT_CONFIG_AND_METRICS, pathNot: '^libs/sandbox/' },
    },
    {
      name: 'metrics-imports-config-only',
      comment: 'libs/metrics is imported by every library that records (the sandbox too): it imports configuration only, so it can never close a cycle or carry judging into the sandbox.',
      severity: 'error',
      from: { path: '^libs/metrics/' },
      to: { path: LIBS_BUT_CONFIG, pathNot: '^libs/metrics/' },
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
