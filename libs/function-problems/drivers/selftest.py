# Self-test of verdict_driver.py, run by test/driver-preludes.e2e-spec.ts in the Python runtime image:
#
#   python3 selftest.py MODE TYPE < argument-list.json
#
# does what a generated driver.py does for the signature selfTest(value: TYPE) -> TYPE, whose
# solution (selftest_solution.py) does what MODE says. MODE "missing" asks for a function the
# solution does not define.
import json
import sys

import verdict_driver

mode, type_ = sys.argv[1], sys.argv[2]
signature = {
    'functionName': 'absent' if mode == 'missing' else 'selfTest',
    'parameters': [{'name': 'value', 'type': type_}],
    'returnType': type_,
}
verdict_driver.main(json.dumps(signature), 'selftest_solution.py')
