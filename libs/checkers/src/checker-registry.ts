import { BuiltinCheckerType } from '@verdict/contracts';
import { Checker } from './checker';
import { ExactChecker } from './exact.checker';
import { FloatChecker } from './float.checker';
import { JsonChecker } from './json.checker';
import { LinesUnorderedChecker } from './lines-unordered.checker';
import { CaseInsensitiveTokensChecker } from './tokens-ci.checker';
import { TokensChecker } from './tokens.checker';

/** Built-in checker by type: a new comparison is a new entry here, not a branch in the judge. */
export const CHECKERS: Readonly<Record<BuiltinCheckerType, Checker>> = {
  exact: new ExactChecker(),
  tokens: new TokensChecker(),
  float: new FloatChecker(),
  'lines-unordered': new LinesUnorderedChecker(),
  'tokens-ci': new CaseInsensitiveTokensChecker(),
  json: new JsonChecker(),
};
