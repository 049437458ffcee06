import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, Matches, ValidateNested } from 'class-validator';

/**
 * LeetCode-style function problems: the problem declares a function and each test is its argument
 * list and expected return value as JSON. Value types are scalars (int: 32-bit, long: 64-bit,
 * double, bool, string), arrays and 2-D arrays of them, and LeetCode's linked-list and binary-tree
 * nodes (ListNode as a JSON array of values, TreeNode in level order with nulls), and arrays of those.
 */
export const SCALAR_VALUE_TYPES = ['int', 'long', 'double', 'bool', 'string'] as const;
export const NODE_VALUE_TYPES = ['ListNode', 'TreeNode'] as const;
export const VALUE_TYPE_PATTERN = /^(?:(?:int|long|double|bool|string)(?:\[\]){0,2}|(?:ListNode|TreeNode)(?:\[\])?)$/;
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export interface FunctionParameter {
  name: string;
  /** e.g. `int`, `int[]`, `string[][]`, `ListNode`, `TreeNode`. */
  type: string;
}

export interface FunctionSignature {
  functionName: string;
  parameters: FunctionParameter[];
  returnType: string;
}

const TYPE_MESSAGE = 'must be int, long, double, bool or string with up to two [], or ListNode/TreeNode with up to one []';

export class FunctionParameterDto implements FunctionParameter {
  @ApiProperty({ pattern: IDENTIFIER_PATTERN.source, example: 'nums' })
  @Matches(IDENTIFIER_PATTERN, { message: 'name must be an identifier' })
  name!: string;

  @ApiProperty({ pattern: VALUE_TYPE_PATTERN.source, description: 'int, long, double, bool or string with up to two [], or ListNode/TreeNode with up to one [].', example: 'int[]' })
  @IsString() @Matches(VALUE_TYPE_PATTERN, { message: `type ${TYPE_MESSAGE}` })
  type!: string;
}

export class FunctionSignatureDto implements FunctionSignature {
  @ApiProperty({ pattern: IDENTIFIER_PATTERN.source, example: 'twoSum' })
  @Matches(IDENTIFIER_PATTERN, { message: 'functionName must be an identifier' })
  functionName!: string;

  @ApiProperty({ type: [FunctionParameterDto], maxItems: 16 })
  @IsArray() @ArrayMaxSize(16) @ValidateNested({ each: true }) @Type(() => FunctionParameterDto)
  parameters!: FunctionParameterDto[];

  @ApiProperty({ pattern: VALUE_TYPE_PATTERN.source, example: 'int[]' })
  @IsString() @Matches(VALUE_TYPE_PATTERN, { message: `returnType ${TYPE_MESSAGE}` })
  returnType!: string;
}
