import { CheckerSpec } from '@verdict/contracts';
import { ACCEPTED, Checker, CheckResult, quote } from './checker';
import { DEFAULT_FLOAT_TOLERANCE } from './float.checker';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Why two values differ, with the JSON path of the first difference; null when they match. */
type Difference = string | null;

/**
 * Structural comparison of JSON values, for function problems whose driver prints the returned
 * value as JSON: numbers within tolerance (an integer where an integer is expected must match
 * exactly), everything else exactly; with `anyOrder`, the elements of a returned array may come in
 * any order.
 */
export class JsonChecker implements Checker {
  check(expected: string, actual: string, spec: CheckerSpec): CheckResult {
    let want: Json;
    let got: Json;
    try {
      want = JSON.parse(expected) as Json;
    } catch {
      return { accepted: false, message: 'the expected value is not valid JSON (a fault of the problem)' };
    }
    try {
      got = JSON.parse(actual) as Json;
    } catch {
      return { accepted: false, message: `the returned value is not valid JSON: ${quote(actual.trim())}` };
    }
    const bothUnset = spec.absError === undefined && spec.relError === undefined;
    const tolerance = {
      abs: spec.absError ?? (bothUnset ? DEFAULT_FLOAT_TOLERANCE : 0),
      rel: spec.relError ?? (bothUnset ? DEFAULT_FLOAT_TOLERANCE : 0),
    };
    const difference = spec.anyOrder && Array.isArray(want) && Array.isArray(got)
      ? this.compareUnordered(want, got, tolerance)
      : compare(want, got, '$', tolerance);
    return difference === null ? ACCEPTED : { accepted: false, message: difference };
  }

  /** Matches each returned element to an unused expected one (fine for the sizes tests return). */
  private compareUnordered(want: Json[], got: Json[], tolerance: Tolerance): Difference {
    if (want.length !== got.length) return `$: expected ${want.length} elements, got ${got.length}`;
    const unused = new Set(want.keys());
    for (const [i, element] of got.entries()) {
      const match = [...unused].find((j) => compare(want[j], element, '', tolerance) === null);
      if (match === undefined) return `$[${i}]: ${quote(JSON.stringify(element))} is not among the expected elements`;
      unused.delete(match);
    }
    return null;
  }
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
      if (!(key in want)) return `${path}: unexpected key ${quote(key)}`;
      if (!(key in object)) return `${path}: missing key ${quote(key)}`;
      const difference = compare(want[key], object[key], `${path}.${key}`, tolerance);
      if (difference) return difference;
    }
    return null;
  }
  return want === got ? null : `${path}: expected ${quote(JSON.stringify(want))}, got ${quote(JSON.stringify(got))}`;
}
