# Verdict's Python driver for function problems: everything but the signature. The generated
# driver.py imports this module (written beside it as verdict_driver.py) and calls
# main(signature JSON, solution file); main reads the argument list (JSON) from stdin, converts each
# argument to its declared type, calls the user's function (exec'd from its own file, so tracebacks
# and syntax errors point at the user's lines) and prints what it returns as JSON on the original
# stdout. Faults of the test data or of the returned value end the run with exit code 1 and one
# line "verdict-driver: ..." on stderr. Compiled and run on its own, with selftest.py, in CI
# (test/driver-preludes.e2e-spec.ts).
import json
import math
import os
import sys
import traceback
from collections import deque

PREFIX = 'verdict-driver:'
INTEGER_RANGES = {'int': (-2 ** 31, 2 ** 31 - 1), 'long': (-2 ** 63, 2 ** 63 - 1)}

# The problem's signature and the solution's file, set by main() from what the generated driver.py
# passes: {"functionName": ..., "parameters": [{"name": ..., "type": ...}], "returnType": ...}.
SIGNATURE = {'functionName': '', 'parameters': [], 'returnType': ''}
SOLUTION_FILE = ''
FUNCTION = ''
RETURN_TYPE = ''


# The node types, as LeetCode defines them (starter code shows these lines).
class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


class TreeNode:
    def __init__(self, val=0, left=None, right=None):
        self.val = val
        self.left = left
        self.right = right


class DriverError(Exception):
    pass


def describe(value):
    if value is None:
        return 'None'
    if isinstance(value, bool):
        return 'a bool'
    names = {int: 'an int', float: 'a float', str: 'a string', list: 'a list', tuple: 'a tuple', dict: 'a dict'}
    if type(value) in names:
        return names[type(value)]
    name = type(value).__name__
    return ('an ' if name[:1].lower() in 'aeiou' else 'a ') + name


def split(type_):
    dimensions = 0
    while type_.endswith('[]'):
        type_ = type_[:-2]
        dimensions += 1
    return type_, dimensions


# Reading the test's arguments: a bad value is the problem's fault, reported with its path.
def decode(type_, value, path):
    base, dimensions = split(type_)
    if dimensions > 0:
        if not isinstance(value, list):
            raise DriverError(f'argument {path} is {describe(value)}, expected {type_}')
        return [decode(type_[:-2], item, f'{path}[{i}]') for i, item in enumerate(value)]
    if base in INTEGER_RANGES:
        low, high = INTEGER_RANGES[base]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise DriverError(f'argument {path} is {describe(value)}, expected {base}')
        if not low <= value <= high:
            raise DriverError(f'argument {path} is {value}, out of range for {base}')
        return value
    if base == 'double':
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise DriverError(f'argument {path} is {describe(value)}, expected double')
        return float(value)
    if base == 'bool':
        if not isinstance(value, bool):
            raise DriverError(f'argument {path} is {describe(value)}, expected bool')
        return value
    if base == 'string':
        if not isinstance(value, str):
            raise DriverError(f'argument {path} is {describe(value)}, expected string')
        return value
    if base == 'ListNode':
        head = None
        for item in reversed(decode('int[]', value, path)):
            head = ListNode(item, head)
        return head
    return build_tree(value, path)


def build_tree(value, path):
    if not isinstance(value, list):
        raise DriverError(f'argument {path} is {describe(value)}, expected a TreeNode in level order')
    nodes = [None if item is None else TreeNode(decode('int', item, f'{path}[{i}]')) for i, item in enumerate(value)]
    if not nodes:
        return None
    if nodes[0] is None:
        raise DriverError(f'argument {path}[0] is null: the root of a tree cannot be (an empty tree is [])')
    parents = deque([nodes[0]])
    i = 1
    while i < len(nodes):
        if not parents:
            raise DriverError(f'argument {path}[{i}] has no parent: every node before it is null')
        parent = parents.popleft()
        for side in ('left', 'right'):
            if i < len(nodes):
                setattr(parent, side, nodes[i])
                if nodes[i] is not None:
                    parents.append(nodes[i])
                i += 1
    return nodes[0]


# Checking and converting what the function returned: a wrong type is the user's fault.
def mismatch(value, expected, at):
    if not at:
        return DriverError(f'{FUNCTION} returned {describe(value)}, expected {expected}')
    return DriverError(f'{FUNCTION} returned {describe(value)} at {at}, expected {expected} (the return type is {RETURN_TYPE})')


def encode(type_, value, at):
    base, dimensions = split(type_)
    if dimensions > 0:
        if not isinstance(value, (list, tuple)):
            raise mismatch(value, type_, at)
        return [encode(type_[:-2], item, f'{at}[{i}]') for i, item in enumerate(value)]
    if base in INTEGER_RANGES:
        if isinstance(value, bool) or not isinstance(value, int):
            raise mismatch(value, base, at)
        return value
    if base == 'double':
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise mismatch(value, 'double', at)
        value = float(value)
        if not math.isfinite(value):
            raise DriverError(f'{FUNCTION} returned {value}{" at " + at if at else ""}, which JSON cannot represent')
        return value
    if base == 'bool':
        if not isinstance(value, bool):
            raise mismatch(value, 'bool', at)
        return value
    if base == 'string':
        if not isinstance(value, str):
            raise mismatch(value, 'string', at)
        return value
    if base == 'ListNode':
        return list_values(value, at)
    return tree_values(value, at)


def is_node(value, links):
    return hasattr(value, 'val') and all(hasattr(value, link) for link in links)


def list_values(head, at):
    values = []
    seen = set()
    node = head
    while node is not None:
        if not is_node(node, ('next',)):
            raise mismatch(node, 'ListNode', f'{at}[{len(values)}]' if values else at)
        if id(node) in seen:
            raise DriverError(f'{FUNCTION} returned a linked list with a cycle (node {len(values)} is an earlier node again)')
        seen.add(id(node))
        values.append(encode('int', node.val, f'{at}[{len(values)}]'))
        node = node.next
    return values


def tree_values(root, at):
    if root is None:
        return []
    if not is_node(root, ('left', 'right')):
        raise mismatch(root, 'TreeNode', at)
    values = []
    seen = {id(root)}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        if node is None:
            values.append(None)
            continue
        if not is_node(node, ('left', 'right')):
            raise mismatch(node, 'TreeNode', f'{at}[{len(values)}]')
        values.append(encode('int', node.val, f'{at}[{len(values)}]'))
        for child in (node.left, node.right):
            if child is not None:
                if id(child) in seen:
                    raise DriverError(f'{FUNCTION} returned a tree in which a node is reached twice (a cycle or a shared subtree)')
                seen.add(id(child))
            queue.append(child)
    while values and values[-1] is None:
        values.pop()
    return values


def read_arguments():
    text = sys.stdin.buffer.read().decode('utf-8')
    try:
        arguments = json.loads(text)
    except ValueError as error:
        raise DriverError(f'the test input is not valid JSON: {error}')
    parameters = SIGNATURE['parameters']
    if not isinstance(arguments, list) or len(arguments) != len(parameters):
        names = ', '.join(p['name'] for p in parameters)
        raise DriverError(f'the test input must be a JSON array of {len(parameters)} argument(s) ({names}), got {text.strip()[:100]!r}')
    return [decode(p['type'], value, p['name']) for p, value in zip(parameters, arguments)]


def solution_namespace():
    import bisect, collections, functools, heapq, itertools, operator, random, re, string, typing
    namespace = {name: getattr(typing, name) for name in typing.__all__}
    for module in (bisect, collections, functools, heapq, itertools, math, operator, random, re, string, sys):
        namespace[module.__name__] = module
    for module, names in (
        (collections, 'deque defaultdict Counter OrderedDict namedtuple'),
        (heapq, 'heappush heappop heapify heapreplace heappushpop nlargest nsmallest'),
        (bisect, 'bisect bisect_left bisect_right insort insort_left insort_right'),
        (itertools, 'accumulate chain combinations combinations_with_replacement count groupby islice permutations product zip_longest'),
        (functools, 'cache cmp_to_key lru_cache reduce'),
        (math, 'ceil comb floor gcd inf isqrt lcm log log2 sqrt'),
    ):
        namespace.update({name: getattr(module, name) for name in names.split()})
    namespace.update(__name__='solution', __file__=SOLUTION_FILE, ListNode=ListNode, TreeNode=TreeNode)
    return namespace


def load_function():
    with open(SOLUTION_FILE, encoding='utf-8') as source:
        code = compile(source.read(), SOLUTION_FILE, 'exec')
    namespace = solution_namespace()
    exec(code, namespace)
    solution = namespace.get('Solution')
    if isinstance(solution, type) and callable(getattr(solution, FUNCTION, None)):
        return getattr(solution(), FUNCTION)
    if callable(namespace.get(FUNCTION)):
        return namespace[FUNCTION]
    raise DriverError(f'{SOLUTION_FILE} defines no class Solution with a method {FUNCTION} (nor a function {FUNCTION})')


def report_exception():
    kind, error, trace = sys.exc_info()
    # From the user's first frame on: the driver's own frames would only hide where it failed.
    while trace is not None and trace.tb_frame.f_code.co_filename != SOLUTION_FILE:
        trace = trace.tb_next
    lines = ['Traceback (most recent call last):\n', *traceback.format_tb(trace, limit=30)] if trace else []
    sys.stderr.write(''.join(lines + traceback.format_exception_only(kind, error)))


def fail(error):
    sys.stderr.write(f'{PREFIX} {error}\n')
    sys.stderr.flush()
    os._exit(1)


def main(signature, solution_file):
    """Reads the arguments (stdin), calls the function in solution_file, prints the result (stdout)."""
    global SIGNATURE, SOLUTION_FILE, FUNCTION, RETURN_TYPE
    SIGNATURE = json.loads(signature)
    SOLUTION_FILE = solution_file
    FUNCTION = SIGNATURE['functionName']
    RETURN_TYPE = SIGNATURE['returnType']
    # The result goes to the original stdout; whatever the solution prints goes to stderr.
    result_out = os.fdopen(os.dup(1), 'w', encoding='utf-8')
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    # Deep enough for recursion over 10^5-node lists and trees; a runaway recursion still ends in a
    # RecursionError (about 55 MB of frames) rather than in the memory limit.
    sys.setrecursionlimit(200_000)
    try:
        arguments = read_arguments()
    except DriverError as error:
        fail(error)
    try:
        function = load_function()
    except DriverError as error:
        fail(error)
    except Exception:
        report_exception()
        sys.exit(1)
    try:
        returned = function(*arguments)
    except Exception:
        report_exception()
        sys.exit(1)
    try:
        text = json.dumps(encode(RETURN_TYPE, returned, ''), separators=(',', ':'), allow_nan=False)
    except DriverError as error:
        fail(error)
    result_out.write(text + '\n')
    result_out.flush()
