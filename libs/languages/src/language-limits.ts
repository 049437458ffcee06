import { Limits } from '@verdict/contracts';
import { LanguageDefinition } from './language-definition';

/**
 * The limits a test really runs under: the submission's, adjusted for the language's runtime (a CPU
 * factor for slow runtimes, extra memory for a runtime's own footprint). Computed once, when the
 * submission is accepted, so what a result reports is what the worker enforced.
 */
export function applyLanguageLimits(limits: Limits, language: LanguageDefinition): Limits {
  const factor = language.limits?.cpuTimeFactor ?? 1;
  return {
    cpuTimeMs: Math.ceil(limits.cpuTimeMs * factor),
    wallTimeMs: Math.ceil(limits.wallTimeMs * factor),
    memoryMb: limits.memoryMb + (language.limits?.extraMemoryMb ?? 0),
    outputKb: limits.outputKb,
  };
}
