import { NODE_BASES, ParsedSignature } from '../value-type';

export type NodeBase = 'ListNode' | 'TreeNode';

/** Which node classes a signature uses, so starter code shows (as LeetCode does) only their definitions. */
export function nodeDefinitionsUsed(signature: ParsedSignature): NodeBase[] {
  const bases = new Set([...signature.parameters.map((p) => p.type.base), signature.returnType.base]);
  return NODE_BASES.filter((base) => bases.has(base)) as NodeBase[];
}

/**
 * A node type's definition as a driver prelude writes it, line by line, for starter code to show in
 * a comment (as LeetCode does): from `firstLine` to the end of its block, that is up to the next
 * line that is not indented, included when it closes the block (`}`, `};`).
 */
export function preludeDefinition(prelude: string, firstLine: string): string[] {
  const lines = prelude.split('\n');
  const start = lines.indexOf(firstLine);
  if (start < 0) throw new Error(`the driver prelude has no line ${JSON.stringify(firstLine)}`);
  let end = start + 1;
  while (end < lines.length && /^\s/.test(lines[end])) end++;
  return lines.slice(start, lines[end]?.startsWith('}') ? end + 1 : end);
}
