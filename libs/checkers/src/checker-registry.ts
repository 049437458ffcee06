import { CheckerType } from '@verdict/contracts';
import { Checker } from './checker';
import { ExactChecker } from './exact.checker';
import { FloatChecker } from './float.checker';
import { TokensChecker } from './tokens.checker';

/** Checker by type: a new comparison is a new entry here, not a branch in the judge. */
export const CHECKERS: Readonly<Record<CheckerType, Checker>> = {
  exact: new ExactChecker(),
  tokens: new TokensChecker(),
  float: new FloatChecker(),
};
