import { DriverGenerator } from '../driver-generator';
import { CPP_DRIVER } from './cpp.driver';
import { GO_DRIVER } from './go.driver';
import { JAVA_DRIVER } from './java.driver';
import { JAVASCRIPT_DRIVER } from './javascript.driver';
import { PYTHON_DRIVER } from './python.driver';

/** Driver generators by driver id (the `driver` of a function-languages.json entry). */
export const DRIVER_GENERATORS: Readonly<Record<string, DriverGenerator>> = {
  python: PYTHON_DRIVER,
  cpp: CPP_DRIVER,
  go: GO_DRIVER,
  java: JAVA_DRIVER,
  javascript: JAVASCRIPT_DRIVER,
};
