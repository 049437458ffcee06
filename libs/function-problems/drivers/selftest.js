// Self-test of verdict_driver.js, run by test/driver-preludes.e2e-spec.ts in the JavaScript runtime
// image:
//
//   node selftest.js MODE TYPE < argument-list.json
//
// does what a generated driver.js does for the signature selfTest(value: TYPE) -> TYPE, whose
// solution (selftest_solution.js) does what MODE says. MODE "missing" asks for a function the
// solution does not define.
'use strict';
const [mode, type] = process.argv.slice(2);
const signature = {
  functionName: mode === 'missing' ? 'absent' : 'selfTest',
  parameters: [{ name: 'value', type }],
  returnType: type,
};
require('./verdict_driver.js').main(signature, 'selftest_solution.js');
