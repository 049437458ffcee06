import { FunctionSignature, IDENTIFIER_PATTERN } from '@verdict/contracts';
import { FUNCTION_LANGUAGE_TABLE, FunctionLanguage } from './function-language-catalog';
import { InvalidValueTypeError, parseValueType } from './value-type';

/** As many parameters as the DTO allows. */
export const MAX_PARAMETERS = 16;

/** Drivers name everything of their own verdict…, so user names can never collide with it. */
const DRIVER_PREFIX = /^verdict/i;

/**
 * What is wrong with a signature, one message per problem naming the field; empty when it is valid
 * for every function language. Beyond the DTO's patterns: parameter names are unique and differ
 * from the function's, and no name is reserved in any supported language (a keyword, a predeclared
 * type or macro, or a name the generated driver needs), since a problem is solved in all of them.
 */
export function validateSignature(signature: FunctionSignature, languages: ReadonlyMap<string, FunctionLanguage> = FUNCTION_LANGUAGE_TABLE): string[] {
  const candidate = signature as unknown as Record<string, unknown> | null;
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
    return ['the signature must be an object with functionName, parameters and returnType'];
  }
  const problems: string[] = [];
  checkName(candidate.functionName, 'functionName', languages, problems);
  checkType(candidate.returnType, 'returnType', problems);
  const parameters = candidate.parameters;
  if (!Array.isArray(parameters)) {
    problems.push('parameters must be an array of { name, type }');
    return problems;
  }
  if (parameters.length > MAX_PARAMETERS) problems.push(`parameters: at most ${MAX_PARAMETERS} are allowed, got ${parameters.length}`);
  const firstUse = new Map<string, number>();
  parameters.forEach((parameter: unknown, i) => {
    const field = `parameters[${i}]`;
    if (typeof parameter !== 'object' || parameter === null || Array.isArray(parameter)) {
      problems.push(`${field} must be an object with name and type`);
      return;
    }
    const { name, type } = parameter as Record<string, unknown>;
    checkName(name, `${field}.name`, languages, problems);
    checkType(type, `${field}.type`, problems);
    if (typeof name !== 'string') return;
    const earlier = firstUse.get(name);
    if (earlier !== undefined) problems.push(`${field}.name "${name}" is already the name of parameters[${earlier}]: parameter names must be unique`);
    else firstUse.set(name, i);
    if (name === candidate.functionName) problems.push(`${field}.name "${name}" is also the function's name, which the parameter would hide (in Go)`);
  });
  return problems;
}

function checkName(name: unknown, field: string, languages: ReadonlyMap<string, FunctionLanguage>, problems: string[]): void {
  if (typeof name !== 'string' || !IDENTIFIER_PATTERN.test(name)) {
    problems.push(`${field} must be an identifier (a letter or _, then letters, digits or _, at most 64), got ${JSON.stringify(name)}`);
    return;
  }
  if (DRIVER_PREFIX.test(name)) {
    problems.push(`${field} "${name}" cannot be used: names starting with "verdict" are reserved for the generated drivers`);
    return;
  }
  const reservedIn = [...languages.values()].filter((l) => l.reservedWords.includes(name)).map((l) => l.language);
  if (reservedIn.length > 0) problems.push(`${field} "${name}" cannot be used: it is reserved in ${reservedIn.join(', ')} (a keyword, a predeclared name or a name the driver needs)`);
  for (const language of languages.values()) {
    for (const { pattern, reason } of language.reservedPatterns ?? []) {
      if (new RegExp(pattern).test(name)) problems.push(`${field} "${name}" cannot be used: ${reason}`);
    }
  }
}

function checkType(type: unknown, field: string, problems: string[]): void {
  try {
    parseValueType(type as string);
  } catch (error) {
    if (!(error instanceof InvalidValueTypeError)) throw error;
    problems.push(`${field}: ${error.message}`);
  }
}
