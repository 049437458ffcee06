/**
 * Whether a parsed JSON value nests objects and arrays deeper than `maxDepth` levels (`{}` and `[]`
 * are 1, `[[]]` is 2). Walks with its own stack, not recursion: the point is to refuse values deep
 * enough to overflow the call stack of whatever walks them recursively next.
 */
export function nestedDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: [value: object, depth: number][] = [];
  if (typeof value === 'object' && value !== null) pending.push([value, 1]);
  while (pending.length > 0) {
    const [container, depth] = pending.pop()!;
    if (depth > maxDepth) return true;
    for (const child of Array.isArray(container) ? container : Object.values(container)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}
