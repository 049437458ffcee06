import { DRIVER_DIAGNOSTIC_PREFIX } from './driver-generator';

/**
 * The driver's own message in a run's stderr (a wrong return type, a malformed test input), without
 * the prefix; null when there is none. Drivers print it last and exit 1, so the judge can show it
 * as the test's message instead of a bare "exit code 1".
 */
export function driverDiagnostic(stderr: string): string | null {
  const lines = stderr.split('\n').filter((line) => line.startsWith(`${DRIVER_DIAGNOSTIC_PREFIX} `));
  return lines.length > 0 ? lines[lines.length - 1].slice(DRIVER_DIAGNOSTIC_PREFIX.length + 1).trim() : null;
}
