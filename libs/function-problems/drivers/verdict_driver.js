// Verdict's JavaScript driver for function problems: everything but the signature. The generated
// driver.js requires this module (written beside it as verdict_driver.js) and calls
// main(signature, solution file); main reads the argument list (JSON) from stdin, converts each
// argument by its declared type, runs the user's file as a script of its own in the same realm
// (vm.runInThisContext, under its own file name, so stack traces point at the user's lines), finds
// the function by name (`var f = function`, `const f =`, `function f` or a class Solution, as
// LeetCode does) and prints what it returns as JSON on the original stdout. Faults of the test data
// or of the returned value end the run with exit code 1 and one line "verdict-driver: ..." on
// stderr. Checked and run on its own, with selftest.js, in CI (test/driver-preludes.e2e-spec.ts).
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const PREFIX = 'verdict-driver:';
const INTEGER_RANGES = { int: [-(2 ** 31), 2 ** 31 - 1], long: [-(2 ** 63), 2 ** 63 - 1] };

// The problem's signature and the solution's file, set by main() from what the generated driver.js
// passes: { functionName, parameters: [{ name, type }], returnType }.
let SIGNATURE = { functionName: '', parameters: [], returnType: '' };
let SOLUTION_FILE = '';
let FUNCTION = '';
let RETURN_TYPE = '';

// The node types, word for word as LeetCode defines them (starter code shows these lines).
function ListNode(val, next) {
    this.val = (val===undefined ? 0 : val)
    this.next = (next===undefined ? null : next)
}

function TreeNode(val, left, right) {
    this.val = (val===undefined ? 0 : val)
    this.left = (left===undefined ? null : left)
    this.right = (right===undefined ? null : right)
}

class DriverError extends Error {}

function describe(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'the number ' + value : 'the number ' + String(value);
  if (typeof value === 'object') return value.constructor && value.constructor.name ? 'a ' + value.constructor.name : 'an object';
  return (/^[aeiou]/.test(typeof value) ? 'an ' : 'a ') + typeof value;
}

function split(type) {
  let dimensions = 0;
  while (type.endsWith('[]')) {
    type = type.slice(0, -2);
    dimensions += 1;
  }
  return [type, dimensions];
}

// Reading the test's arguments: a bad value is the problem's fault, reported with its path.
function decode(type, value, at) {
  const [base, dimensions] = split(type);
  if (dimensions > 0) {
    if (!Array.isArray(value)) throw new DriverError('argument ' + at + ' is ' + describe(value) + ', expected ' + type);
    return value.map((item, i) => decode(type.slice(0, -2), item, at + '[' + i + ']'));
  }
  if (base in INTEGER_RANGES) {
    const [low, high] = INTEGER_RANGES[base];
    if (!Number.isInteger(value)) throw new DriverError('argument ' + at + ' is ' + describe(value) + ', expected ' + base);
    if (value < low || value > high) throw new DriverError('argument ' + at + ' is ' + value + ', out of range for ' + base);
    return value;
  }
  if (base === 'double') {
    if (typeof value !== 'number') throw new DriverError('argument ' + at + ' is ' + describe(value) + ', expected double');
    return value;
  }
  if (base === 'bool' || base === 'string') {
    if (typeof value !== (base === 'bool' ? 'boolean' : 'string')) throw new DriverError('argument ' + at + ' is ' + describe(value) + ', expected ' + base);
    return value;
  }
  if (base === 'ListNode') {
    let head = null;
    const values = decode('int[]', value, at);
    for (let i = values.length - 1; i >= 0; i--) head = new ListNode(values[i], head);
    return head;
  }
  return buildTree(value, at);
}

function buildTree(value, at) {
  if (!Array.isArray(value)) throw new DriverError('argument ' + at + ' is ' + describe(value) + ', expected a TreeNode (an array in level order)');
  const nodes = value.map((item, i) => (item === null ? null : new TreeNode(decode('int', item, at + '[' + i + ']'))));
  if (nodes.length === 0) return null;
  if (nodes[0] === null) throw new DriverError('argument ' + at + '[0] is null: the root of a tree cannot be (an empty tree is [])');
  const parents = [nodes[0]];
  let head = 0;
  for (let i = 1; i < nodes.length; ) {
    if (head === parents.length) throw new DriverError('argument ' + at + '[' + i + '] has no parent: every node before it is null');
    const parent = parents[head++];
    for (const side of ['left', 'right']) {
      if (i >= nodes.length) break;
      parent[side] = nodes[i];
      if (nodes[i] !== null) parents.push(nodes[i]);
      i += 1;
    }
  }
  return nodes[0];
}

// Checking and converting what the function returned: a wrong type is the user's fault.
function mismatch(value, expected, at) {
  if (!at) return new DriverError(FUNCTION + ' returned ' + describe(value) + ', expected ' + expected);
  return new DriverError(FUNCTION + ' returned ' + describe(value) + ' at ' + at + ', expected ' + expected + ' (the return type is ' + RETURN_TYPE + ')');
}

/** JSON text of a returned value; BigInt is fine for integers (written exactly). */
function encode(type, value, at) {
  const [base, dimensions] = split(type);
  if (dimensions > 0) {
    if (!Array.isArray(value)) throw mismatch(value, type, at);
    return '[' + value.map((item, i) => encode(type.slice(0, -2), item, at + '[' + i + ']')).join(',') + ']';
  }
  if (base in INTEGER_RANGES) {
    if (typeof value === 'bigint') return value.toString();
    if (!Number.isInteger(value)) throw mismatch(value, base, at);
    return JSON.stringify(value);
  }
  if (base === 'double') {
    if (typeof value !== 'number') throw mismatch(value, 'double', at);
    if (!Number.isFinite(value)) throw new DriverError(FUNCTION + ' returned ' + value + (at ? ' at ' + at : '') + ', which JSON cannot represent');
    return JSON.stringify(value);
  }
  if (base === 'bool' || base === 'string') {
    if (typeof value !== (base === 'bool' ? 'boolean' : 'string')) throw mismatch(value, base, at);
    return JSON.stringify(value);
  }
  if (base === 'ListNode') return JSON.stringify(listValues(value, at));
  return JSON.stringify(treeValues(value, at));
}

function isNode(value, links) {
  return typeof value === 'object' && value !== null && 'val' in value && links.every((link) => link in value);
}

function listValues(head, at) {
  const values = [];
  const seen = new Set();
  for (let node = head; node !== null && node !== undefined; node = node.next) {
    if (!isNode(node, ['next'])) throw mismatch(node, 'ListNode', values.length ? at + '[' + values.length + ']' : at);
    if (seen.has(node)) throw new DriverError(FUNCTION + ' returned a linked list with a cycle (node ' + values.length + ' is an earlier node again)');
    seen.add(node);
    values.push(checkedValue(node.val, at + '[' + values.length + ']'));
  }
  return values;
}

function treeValues(root, at) {
  if (root === null || root === undefined) return [];
  if (!isNode(root, ['left', 'right'])) throw mismatch(root, 'TreeNode', at);
  const values = [];
  const seen = new Set([root]);
  const queue = [root];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    if (node === null || node === undefined) {
      values.push(null);
      continue;
    }
    if (!isNode(node, ['left', 'right'])) throw mismatch(node, 'TreeNode', at + '[' + values.length + ']');
    values.push(checkedValue(node.val, at + '[' + values.length + ']'));
    for (const child of [node.left, node.right]) {
      if (child !== null && child !== undefined) {
        if (seen.has(child)) throw new DriverError(FUNCTION + ' returned a tree in which a node is reached twice (a cycle or a shared subtree)');
        seen.add(child);
      }
      queue.push(child);
    }
  }
  while (values.length && values[values.length - 1] === null) values.pop();
  return values;
}

function checkedValue(value, at) {
  if (!Number.isInteger(value)) throw mismatch(value, 'int', at);
  return value;
}

function readArguments() {
  const text = fs.readFileSync(0, 'utf8');
  let values;
  try {
    values = JSON.parse(text);
  } catch (error) {
    throw new DriverError('the test input is not valid JSON: ' + error.message);
  }
  const parameters = SIGNATURE.parameters;
  if (!Array.isArray(values) || values.length !== parameters.length) {
    const names = parameters.map((p) => p.name).join(', ');
    throw new DriverError('the test input must be a JSON array of ' + parameters.length + ' argument(s) (' + names + '), got ' + JSON.stringify(text.trim().slice(0, 100)));
  }
  return parameters.map((p, i) => decode(p.type, values[i], p.name));
}

function loadFunction() {
  const file = path.join(__dirname, SOLUTION_FILE);
  vm.runInThisContext(fs.readFileSync(file, 'utf8'), { filename: file });
  const found = vm.runInThisContext('typeof ' + FUNCTION + " === 'function' ? " + FUNCTION + ' : undefined');
  if (found) return found;
  const Solution = vm.runInThisContext("typeof Solution === 'function' ? Solution : undefined");
  if (Solution && typeof Solution.prototype[FUNCTION] === 'function') {
    const solution = new Solution();
    return (...args) => solution[FUNCTION](...args);
  }
  throw new DriverError(SOLUTION_FILE + ' defines no function ' + FUNCTION + ' (nor a class Solution with a method ' + FUNCTION + ')');
}

function fail(error) {
  process.stderr.write(PREFIX + ' ' + error.message + '\n');
  process.exit(1);
}

/** Reads the arguments (stdin), calls the function in solutionFile, prints the result (stdout). */
function main(signature, solutionFile) {
  SIGNATURE = signature;
  SOLUTION_FILE = solutionFile;
  FUNCTION = signature.functionName;
  RETURN_TYPE = signature.returnType;
  // The result goes to the original stdout; whatever the solution prints goes to stderr.
  const writeResult = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr);
  globalThis.console = new console.Console({ stdout: process.stderr, stderr: process.stderr });
  globalThis.ListNode = ListNode;
  globalThis.TreeNode = TreeNode;
  globalThis.require = require;
  let args;
  let fn;
  try {
    args = readArguments();
    fn = loadFunction();
  } catch (error) {
    if (error instanceof DriverError) fail(error);
    throw error;
  }
  const returned = fn(...args);
  let text;
  try {
    text = encode(RETURN_TYPE, returned, '');
  } catch (error) {
    if (error instanceof DriverError) fail(error);
    throw error;
  }
  writeResult(text + '\n');
}

module.exports = { main };
