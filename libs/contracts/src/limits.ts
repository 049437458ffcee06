/** Resource limits of one test run, as the submitter gives them (all optional) and as resolved. */
export interface Limits {
  cpuTimeMs: number;
  wallTimeMs: number;
  memoryMb: number;
  outputKb: number;
}

export const LIMIT_FIELDS = ['cpuTimeMs', 'wallTimeMs', 'memoryMb', 'outputKb'] as const satisfies readonly (keyof Limits)[];

/** What a limit may be, its default, and the setting that raises its maximum. */
export interface LimitBound {
  min: number;
  default: number;
  max: number;
  setting: string;
}

export type LimitBounds = Record<keyof Limits, LimitBound>;

/** A problem with one asked-for limit: the field (`limits.cpuTimeMs`) and what is wrong. */
export interface LimitProblem {
  field: string;
  message: string;
}

/**
 * Limits as asked for (each optional), with the defaults filled in and every one checked against
 * its bounds; a wall limit below the CPU limit is a problem too. The same rules for inline
 * submissions and problem packages.
 */
export function resolveLimits(requested: Partial<Limits> | undefined, bounds: LimitBounds): { limits: Limits; problems: LimitProblem[] } {
  const limits = {} as Limits;
  const problems: LimitProblem[] = [];
  for (const field of LIMIT_FIELDS) {
    const { min, max } = bounds[field];
    const value = requested?.[field] ?? bounds[field].default;
    if (value < min || value > max) problems.push({ field: `limits.${field}`, message: `must be between ${min} and ${max} (got ${value})` });
    limits[field] = value;
  }
  if (limits.wallTimeMs < limits.cpuTimeMs) {
    problems.push({ field: 'limits.wallTimeMs', message: `(${limits.wallTimeMs}) must be at least limits.cpuTimeMs (${limits.cpuTimeMs})` });
  }
  return { limits, problems };
}
