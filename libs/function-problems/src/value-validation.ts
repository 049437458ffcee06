import { FunctionSignature } from '@verdict/contracts';
import { validateSignature } from './signature-validation';
import { InvalidValueTypeError, ValueType, elementType, parseValueType } from './value-type';

/** A value with thousands of wrong elements gets this many messages, then one saying there are more. */
export const MAX_VALUE_PROBLEMS = 20;

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

class Problems {
  readonly messages: string[] = [];
  truncated = false;

  add(message: string): void {
    if (this.messages.length < MAX_VALUE_PROBLEMS) this.messages.push(message);
    else this.truncated = true;
  }

  get full(): boolean {
    return this.truncated;
  }

  list(): string[] {
    return this.truncated ? [...this.messages, `… and more problems (only the first ${MAX_VALUE_PROBLEMS} are listed)`] : this.messages;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'boolean':
      return `a bool (${value})`;
    case 'number':
      return `the number ${value}`;
    case 'string':
      return `a string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value} (not JSON)`;
  }
}

/**
 * What is wrong with `value` (parsed JSON) as a value of `type`; one message per problem, each
 * starting with the path of the offending part (`path` is the value's own, e.g. `input.nums`).
 *
 * - int: an integer from -2^31 to 2^31-1.
 * - long: an integer within ±(2^53-1). Wider longs are refused: JSON.parse (and every JavaScript
 *   consumer of the test) reads integers as doubles, which are exact only up to 2^53.
 * - double: any number; bool, string: as in JSON.
 * - T[]: an array of T (rows of a T[][] may differ in length).
 * - ListNode: the list's values as an array of ints (`[]` is the empty list).
 * - TreeNode: LeetCode's level order, ints and nulls: `[]` is the empty tree, the root is not null,
 *   every node listed has a parent, and the array does not end with null (LeetCode's canonical
 *   form, the one drivers print, so expected answers compare equal).
 */
export function validateValue(type: string, value: unknown, path: string): string[] {
  let parsed: ValueType;
  try {
    parsed = parseValueType(type);
  } catch (error) {
    if (error instanceof InvalidValueTypeError) return [`${path}: ${error.message}`];
    throw error;
  }
  const problems = new Problems();
  check(parsed, value, path, problems);
  return problems.list();
}

function check(type: ValueType, value: unknown, path: string, problems: Problems): void {
  if (problems.full) return;
  if (type.dimensions > 0) {
    if (!Array.isArray(value)) return problems.add(`${path}: expected ${type.text}, got ${describe(value)}`);
    const element = elementType(type);
    value.forEach((item, i) => check(element, item, `${path}[${i}]`, problems));
    return;
  }
  switch (type.base) {
    case 'int':
      return checkInt(value, path, problems);
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) return problems.add(`${path}: expected long (an integer), got ${describe(value)}`);
      if (!Number.isSafeInteger(value)) {
        problems.add(`${path}: ${value} is beyond ±(2^53-1), the largest integers JSON readers are guaranteed to read exactly (long values must stay within it)`);
      }
      return;
    case 'double':
      if (typeof value !== 'number') problems.add(`${path}: expected double (a number), got ${describe(value)}`);
      return;
    case 'bool':
      if (typeof value !== 'boolean') problems.add(`${path}: expected bool, got ${describe(value)}`);
      return;
    case 'string':
      if (typeof value !== 'string') problems.add(`${path}: expected string, got ${describe(value)}`);
      return;
    case 'ListNode':
      if (!Array.isArray(value)) return problems.add(`${path}: expected ListNode (an array of int values), got ${describe(value)}`);
      value.forEach((item, i) => checkInt(item, `${path}[${i}]`, problems));
      return;
    case 'TreeNode':
      return checkTree(value, path, problems);
  }
}

function checkInt(value: unknown, path: string, problems: Problems): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) return problems.add(`${path}: expected int (an integer), got ${describe(value)}`);
  if (value < INT_MIN || value > INT_MAX) problems.add(`${path}: ${value} is out of range for int (${INT_MIN}..${INT_MAX})`);
}

function checkTree(value: unknown, path: string, problems: Problems): void {
  if (!Array.isArray(value)) return problems.add(`${path}: expected TreeNode (an array in level order, e.g. [3,9,20,null,null,15,7]), got ${describe(value)}`);
  if (value.length === 0) return;
  if (value[0] === null) return problems.add(`${path}[0]: the root of a tree cannot be null (an empty tree is [])`);
  // Level order: each node listed takes the next free child slot of a node listed before it.
  let freeSlots = 0;
  value.forEach((item, i) => {
    if (i > 0) {
      if (freeSlots === 0) return problems.add(`${path}[${i}]: has no parent (every node before it is null), so no tree has this encoding`);
      freeSlots -= 1;
    }
    if (item === null) return;
    checkInt(item, `${path}[${i}]`, problems);
    freeSlots += 2;
  });
  if (value[value.length - 1] === null) {
    problems.add(`${path}: must not end with null (LeetCode's canonical form, which drivers print, drops trailing nulls)`);
  }
}

/**
 * What is wrong with one test of a function problem, as stored text: the input must be a JSON array
 * with one valid value per parameter, the answer a valid value of the return type. Paths are
 * `input.<parameter>…` and `answer…`.
 */
export function validateFunctionTest(signature: FunctionSignature, input: string, answer: string): string[] {
  const signatureProblems = validateSignature(signature);
  if (signatureProblems.length > 0) return signatureProblems.map((problem) => `signature: ${problem}`);
  const problems: string[] = [];
  const parse = (text: string, what: string): { value: unknown } | null => {
    try {
      return { value: JSON.parse(text) };
    } catch (error) {
      problems.push(`${what}: not valid JSON (${(error as Error).message})`);
      return null;
    }
  };
  const args = parse(input, 'input');
  if (args) {
    const names = signature.parameters.map((p) => p.name);
    if (!Array.isArray(args.value) || args.value.length !== names.length) {
      problems.push(`input: expected a JSON array of ${names.length} argument(s) (${names.join(', ')}), got ${describe(args.value)}${Array.isArray(args.value) ? ` of ${args.value.length}` : ''}`);
    } else {
      const values = args.value;
      signature.parameters.forEach((p, i) => problems.push(...validateValue(p.type, values[i], `input.${p.name}`)));
    }
  }
  const expected = parse(answer, 'answer');
  if (expected) problems.push(...validateValue(signature.returnType, expected.value, 'answer'));
  return problems;
}
