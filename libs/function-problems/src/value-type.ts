import { FunctionSignature, VALUE_TYPE_PATTERN } from '@verdict/contracts';

export type ValueBase = 'int' | 'long' | 'double' | 'bool' | 'string' | 'ListNode' | 'TreeNode';

/** A parsed value type: `int[][]` is base int with 2 dimensions. */
export interface ValueType {
  base: ValueBase;
  dimensions: number;
  /** The type as the problem wrote it, for messages. */
  text: string;
}

export interface SignatureParameter {
  name: string;
  type: ValueType;
}

/** A signature whose types are parsed; what driver generators work from. */
export interface ParsedSignature {
  functionName: string;
  parameters: SignatureParameter[];
  returnType: ValueType;
}

export class InvalidValueTypeError extends Error {}

export const NODE_BASES: readonly ValueBase[] = ['ListNode', 'TreeNode'];

export function parseValueType(text: string): ValueType {
  if (typeof text !== 'string' || !VALUE_TYPE_PATTERN.test(text)) {
    throw new InvalidValueTypeError(
      `${JSON.stringify(text)} is not a value type (int, long, double, bool or string with up to two [], or ListNode/TreeNode with up to one [])`,
    );
  }
  const base = text.replace(/(\[\])+$/, '') as ValueBase;
  return { base, dimensions: (text.length - base.length) / 2, text };
}

/** The type of an element of an array type. */
export function elementType(type: ValueType): ValueType {
  if (type.dimensions === 0) throw new InvalidValueTypeError(`${type.text} is not an array type`);
  return { base: type.base, dimensions: type.dimensions - 1, text: type.text.slice(0, -2) };
}

/** Parses the types of a signature that validateSignature accepted. */
export function parseSignatureTypes(signature: FunctionSignature): ParsedSignature {
  return {
    functionName: signature.functionName,
    parameters: signature.parameters.map((p) => ({ name: p.name, type: parseValueType(p.type) })),
    returnType: parseValueType(signature.returnType),
  };
}
