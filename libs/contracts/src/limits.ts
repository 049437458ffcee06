/** Resource limits of one test run, as the submitter gives them (all optional) and as resolved. */
export interface Limits {
  cpuTimeMs: number;
  wallTimeMs: number;
  memoryMb: number;
  outputKb: number;
}

export const LIMIT_FIELDS = ['cpuTimeMs', 'wallTimeMs', 'memoryMb', 'outputKb'] as const satisfies readonly (keyof Limits)[];
