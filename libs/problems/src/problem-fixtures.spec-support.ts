import { SubmissionPolicyConfig } from '@verdict/config';
import { PackageBounds, ProblemPackage } from './problem-package';
import { ProblemPackageRules } from './validate-problem-package';

/** The deployment defaults, as a spec's rules. */
export const RULES: ProblemPackageRules = {
  languages: ['python', 'cpp', 'go'],
  programLanguages: { checker: ['python', 'cpp', 'go'], interactor: ['cpp', 'go'] },
  limits: new SubmissionPolicyConfig().limitBounds(),
  maxTests: 50,
  maxSampleBytes: 64 * 1024,
};

export const BOUNDS: PackageBounds = { maxFileBytes: 1024 * 1024, maxTotalBytes: 4 * 1024 * 1024, maxFiles: 100 };

/** A package from a manifest object and text files. */
export function packageOf(manifest: unknown, files: Record<string, string> = {}): ProblemPackage {
  return { manifest, files: new Map(Object.entries(files).map(([path, text]) => [path, Buffer.from(text)])) };
}

/** A small valid stdio package: two samples and two hidden tests. */
export function aPlusB(overrides: Record<string, unknown> = {}, extraFiles: Record<string, string> = {}): ProblemPackage {
  return packageOf(
    { title: 'A + B', tests: [{ glob: 'tests/s*.in', sample: true, pretest: true }, { glob: 'tests/[0-9]*.in' }], ...overrides },
    { 'tests/s1.in': '1 2\n', 'tests/s1.out': '3\n', 'tests/1.in': '5 5\n', 'tests/1.out': '10\n', 'tests/2.in': '0 0\n', 'tests/2.out': '0\n', ...extraFiles },
  );
}
