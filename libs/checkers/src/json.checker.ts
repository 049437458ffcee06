import { CheckerSpec } from '@verdict/contracts';
import { ByteStream, isSpace, quote, quoteBytes, readAtMost } from './bytes';
import { ACCEPTED, Checker, CheckResult } from './checker';
import { DEFAULT_FLOAT_TOLERANCE } from './float.checker';

/**
 * The largest result (and expected value) the json checker parses, far above what a function
 * returns in a test. Parsing costs up to ~20 bytes of memory and ~90 ms per byte-MiB for the worst
 * shapes (arrays of empty arrays or objects), so this keeps one check near 100 MB and 400 ms.
 */
export const MAX_JSON_BYTES = 4 * 1024 * 1024;

/**
 * The deepest nesting of arrays and objects the json checker compares: the comparison recurses once
 * per level, and a value nested 100,000 deep would overflow the stack. Checked by a scan before
 * parsing, without recursion.
 */
export const MAX_JSON_DEPTH = 1000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Why two values differ, with the JSON path of the first difference; null when they match. */
type Difference = string | null;

const MIB = 1024 * 1024;

/** Whether arrays and objects nest deeper than `limit` (brackets inside strings do not count). */
function nestedDeeperThan(bytes: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++;
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      if (++depth > limit) return true;
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return false;
}

/** The value, or why it cannot be compared (`subject` names whose value it is in the message). */
function parse(bytes: Buffer, subject: string): { value: Json } | { problem: string } {
  if (nestedDeeperThan(bytes, MAX_JSON_DEPTH)) return { problem: `${subject} is nested deeper than ${MAX_JSON_DEPTH} levels, more than the json checker compares` };
  try {
    return { value: JSON.parse(bytes.toString('utf8')) as Json };
  } catch {
    let start = 0;
    let end = bytes.length;
    while (start < end && isSpace(bytes[start])) start++;
    while (end > start && isSpace(bytes[end - 1])) end--;
    return { problem: `${subject} is not valid JSON: ${quoteBytes(bytes, start, end)}` };
  }
}

/**
 * Structural comparison of JSON values, for function problems whose driver prints the returned
 * value as JSON: numbers within tolerance (an integer where an integer is expected must match
 * exactly), everything else exactly; with `anyOrder`, the elements of a returned array may come in
 * any order. Values are bounded in size (MAX_JSON_BYTES) and depth (MAX_JSON_DEPTH) before parsing.
 */
export class JsonChecker implements Checker {
  async check(expected: ByteStream, actual: Buffer, spec: CheckerSpec): Promise<CheckResult> {
    if (actual.length > MAX_JSON_BYTES) {
      return { accepted: false, message: `the returned value is ${(actual.length / MIB).toFixed(1)} MiB of JSON, more than the ${MAX_JSON_BYTES / MIB} MiB the json checker reads` };
    }
    const expectedBytes = await readAtMost(expected, MAX_JSON_BYTES);
    if (expectedBytes === null) return { accepted: false, message: `the expected value is larger than the ${MAX_JSON_BYTES / MIB} MiB the json checker reads (a fault of the problem)` };
    const want = parse(expectedBytes, 'the expected value');
    if ('problem' in want) return { accepted: false, message: `${want.problem} (a fault of the problem)` };
    const got = parse(actual, 'the returned value');
    if ('problem' in got) return { accepted: false, message: got.problem };
    const bothUnset = spec.absError === undefined && spec.relError === undefined;
    const tolerance = {
      abs: spec.absError ?? (bothUnset ? DEFAULT_FLOAT_TOLERANCE : 0),
      rel: spec.relError ?? (bothUnset ? DEFAULT_FLOAT_TOLERANCE : 0),
    };
    const difference = spec.anyOrder && Array.isArray(want.value) && Array.isArray(got.value)
      ? compareUnordered(want.value, got.value, tolerance)
      : compare(want.value, got.value, '$', tolerance);
    return difference === null ? ACCEPTED : { accepted: false, message: difference };
  }
}

/**
 * Matches each returned element to an unused expected one. Elements equal to an expected one are
 * found by their canonical text, so any order of exact results costs linear time; only elements
 * that match within a tolerance are searched for among the unused expected ones.
 */
function compareUnordered(want: Json[], got: Json[], tolerance: Tolerance): Difference {
  if (want.length !== got.length) return `$: expected ${want.length} elements, got ${got.length}`;
  const used = new Uint8Array(want.length);
  /** Expected indices by canonical text, and how many of each list earlier elements have taken. */
  const byText = new Map<string, { indices: number[]; taken: number }>();
  want.forEach((element, j) => {
    const text = canonical(element);
    const same = byText.get(text);
    if (same) same.indices.push(j);
    else byText.set(text, { indices: [j], taken: 0 });
  });
  const exactMatch = (element: Json): number | undefined => {
    const same = byText.get(canonical(element));
    while (same && same.taken < same.indices.length) {
      const j = same.indices[same.taken++];
      if (!used[j]) return j;
    }
    return undefined;
  };
  for (const [i, element] of got.entries()) {
    let match = exactMatch(element);
    for (let j = 0; match === undefined && j < want.length; j++) {
      if (!used[j] && compare(want[j], element, '', tolerance) === null) match = j;
    }
    if (match === undefined) return `$[${i}]: ${quote(JSON.stringify(element))} is not among the expected elements`;
    used[match] = 1;
  }
  return null;
}

/** A text equal for values that compare equal exactly: object keys sorted, numbers as JavaScript prints them. */
function canonical(value: Json): string {
  if (typeof value === 'number') return String(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
}

interface Tolerance {
  abs: number;
  rel: number;
}

function kind(value: Json): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function compare(want: Json, got: Json, path: string, tolerance: Tolerance): Difference {
  if (typeof want === 'number' && typeof got === 'number') {
    if (Number.isInteger(want) && Number.isInteger(got)) return want === got ? null : `${path}: expected ${want}, got ${got}`;
    const diff = Math.abs(want - got);
    return diff <= tolerance.abs || diff <= tolerance.rel * Math.abs(want) ? null : `${path}: expected ${want}, got ${got}`;
  }
  if (kind(want) !== kind(got)) return `${path}: expected ${kind(want)}, got ${kind(got)} ${quote(JSON.stringify(got))}`;
  if (Array.isArray(want)) {
    const items = got as Json[];
    if (want.length !== items.length) return `${path}: expected ${want.length} elements, got ${items.length}`;
    for (let i = 0; i < want.length; i++) {
      const difference = compare(want[i], items[i], `${path}[${i}]`, tolerance);
      if (difference) return difference;
    }
    return null;
  }
  if (want !== null && typeof want === 'object') {
    const object = got as Record<string, Json>;
    const keys = new Set([...Object.keys(want), ...Object.keys(object)]);
    for (const key of keys) {
      if (!Object.hasOwn(want, key)) return `${path}: unexpected key ${quote(key)}`;
      if (!Object.hasOwn(object, key)) return `${path}: missing key ${quote(key)}`;
      const difference = compare(want[key], object[key], `${path}.${key}`, tolerance);
      if (difference) return difference;
    }
    return null;
  }
  return want === got ? null : `${path}: expected ${quote(JSON.stringify(want))}, got ${quote(JSON.stringify(got))}`;
}
