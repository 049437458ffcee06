import { CheckerSpec } from '@verdict/contracts';

export interface CheckResult {
  accepted: boolean;
  /** For people: where the output first differs, or empty when accepted. */
  message: string;
}

/** Compares a program's output with the expected output of a test. Pure: no I/O, no state. */
export interface Checker {
  check(expected: string, actual: string, spec: CheckerSpec): CheckResult;
}

export const ACCEPTED: CheckResult = { accepted: true, message: '' };

/** Cuts long tokens in messages so a result stays readable and small. */
export function quote(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
