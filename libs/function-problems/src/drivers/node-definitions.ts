import { NODE_BASES, ParsedSignature } from '../value-type';

export type NodeBase = 'ListNode' | 'TreeNode';

/** Which node classes a signature uses, so starter code shows (as LeetCode does) only their definitions. */
export function nodeDefinitionsUsed(signature: ParsedSignature): NodeBase[] {
  const bases = new Set([...signature.parameters.map((p) => p.type.base), signature.returnType.base]);
  return NODE_BASES.filter((base) => bases.has(base)) as NodeBase[];
}
