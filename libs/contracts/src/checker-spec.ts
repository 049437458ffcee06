/** How a test's output is compared with its expected output. */
export const CHECKER_TYPES = ['exact', 'tokens', 'float'] as const;
export type CheckerType = (typeof CHECKER_TYPES)[number];

export interface CheckerSpec {
  type: CheckerType;
  /** float checker only: a token matches when |a-e| <= absError or |a-e| <= relError*|e|. */
  absError?: number;
  relError?: number;
}

export const DEFAULT_CHECKER: CheckerSpec = { type: 'tokens' };
