import { ConfigValidationError } from './load-config';

/** The message of the ConfigValidationError `load` throws; fails the test when it throws none or another error. */
export function problemsOf(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    // Plain throws, not expect(): the apps' build type-checks this file without Jest's globals.
    if (!(error instanceof ConfigValidationError)) throw error;
    return error.message;
  }
  throw new Error('expected a configuration error');
}
