import { IsInt, Max, Min } from 'class-validator';

/** Bounds on the shape of JSON request bodies, checked before anything walks them. */
export class RequestBodyConfig {
  /**
   * Deepest nesting of objects and arrays a JSON body may have (`{}` is 1 level, `{"a":[]}` 2).
   * Legitimate bodies stay within 5: a submission's `tests[].input`, a problem's
   * `subtasks[].tests[]` (function-problem values travel as file contents, i.e. strings). The
   * validators recurse once per level and overflow the stack somewhere past 1,000 levels, hence the
   * ceiling.
   */
  @IsInt() @Min(8) @Max(256)
  API_MAX_JSON_DEPTH: number = 64;
}
