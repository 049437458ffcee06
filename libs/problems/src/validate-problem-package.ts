import {
  CheckerSpec,
  CheckerType,
  DEFAULT_FEEDBACK_LEVEL,
  FeedbackLevel,
  FieldError,
  FunctionSignature,
  JudgeKind,
  LimitBounds,
  Limits,
  PROGRAM_CHECKER_TYPES,
  ProgramRef,
  StoredData,
  SubtaskAggregation,
  resolveLimits,
  sha256Of,
} from '@verdict/contracts';
import picomatch from 'picomatch';
import { checkManifestShape } from './manifest-schema';
import { InvalidProblemPackageError } from './problem-errors';
import { ProblemPackage, normalizePackagePath, packageFileField } from './problem-package';
import { Difficulty, LimitMultiplier, MANIFEST_FILE, ProblemDraft, ProblemSample, ProblemSubtask, ProblemTest } from './problem-version';

/** What a package is checked against: this deployment's languages and bounds. */
export interface ProblemPackageRules {
  languages: readonly string[];
  /**
   * Languages a problem's own programs can be written in: checkers (a language that can build one
   * artifact) and interactors (a self-contained one: it runs in the submission's sandbox).
   */
  programLanguages: { checker: readonly string[]; interactor: readonly string[] };
  /** Per limit: the deployment's bounds and the default for a limit the package leaves out. */
  limits: LimitBounds;
  maxTests: number;
  maxSampleBytes: number;
  /** Deeper checks of function problems (signature, argument and expected values), when available. */
  functionValues?: FunctionValueRules;
}

/** Messages are returned, not thrown, so that every problem of a package is reported at once. */
export interface FunctionValueRules {
  validateSignature(signature: FunctionSignature): string[];
  /** Whether `value` (parsed JSON) is a valid `type`; messages name `path`. */
  validateValue(type: string, value: unknown, path: string): string[];
}

/** problem.yaml as the schema guarantees it to be. */
interface ManifestDocument {
  id?: string;
  title: string;
  statement?: string;
  kind?: JudgeKind;
  limits?: Partial<Limits>;
  limitMultipliers?: Record<string, Partial<LimitMultiplier>>;
  checker?: { type: CheckerType; absError?: number; relError?: number; anyOrder?: boolean; language?: string; source?: string };
  interactor?: { language: string; source: string };
  function?: FunctionSignature;
  tags?: string[];
  difficulty?: Difficulty;
  stopOnFirstFailure?: boolean;
  feedback?: FeedbackLevel;
  tests: ({ name?: string | number; input: string; output?: string; sample?: boolean; pretest?: boolean } | { glob: string; sample?: boolean; pretest?: boolean })[];
  subtasks?: { name: string; points: number; aggregation?: SubtaskAggregation; tests: (string | number)[]; dependsOn?: string[] }[];
}

interface ExpandedTest {
  name: string;
  /** Where it was declared, for messages: `tests[2]`, or `tests[2].glob` for a match. */
  field: string;
  input: string;
  /** Null: none (interactive problems may do without). */
  output: string | null;
  sample: boolean;
  pretest: boolean;
}

/** Input extensions and the output beside each, tried in order. */
const OUTPUT_BESIDE: [input: string, outputs: string[]][] = [
  ['.args.json', ['.expected.json']],
  ['.in', ['.out', '.ans']],
];
const OUTPUT_LIKE = /\.(out|ans|expected\.json)$/;
const GLOB_CHARS = /[*?[\]{}!]/;
const NO_OUTPUT_NEEDED: JudgeKind[] = ['interactive'];

/** `tests/big/07.in` → `big/07`: the path less the tests/ folder and the input extension. */
export function testNameOf(inputPath: string): string {
  const withoutFolder = inputPath.replace(/^tests\//, '');
  const extension = OUTPUT_BESIDE.map(([input]) => input).find((ext) => withoutFolder.endsWith(ext));
  return extension ? withoutFolder.slice(0, -extension.length) : withoutFolder.replace(/\.[^./]+$/, '');
}

const naturalOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * Turns a package into a problem version draft, or throws InvalidProblemPackageError with one message
 * per problem, each naming the file and the field (`problem.yaml: subtasks[1].dependsOn[0]: unknown
 * subtask "large"`, `tests/3.out: missing (named by tests[2].output)`). Everything a judge would
 * trip over later (unknown or cyclic dependencies, tests in no subtask, missing files, bad JSON of a
 * function problem) is found here.
 */
export function validateProblemPackage(pkg: ProblemPackage, rules: ProblemPackageRules): { draft: ProblemDraft; data: Map<string, Buffer> } {
  const shape = checkManifestShape(pkg.manifest);
  if (shape.length > 0) throw new InvalidProblemPackageError(shape);
  return new PackageValidation(pkg, pkg.manifest as ManifestDocument, rules).run();
}

class PackageValidation {
  private readonly problems: FieldError[] = [];
  private readonly data = new Map<string, Buffer>();
  private readonly kind: JudgeKind;

  constructor(
    private readonly pkg: ProblemPackage,
    private readonly m: ManifestDocument,
    private readonly rules: ProblemPackageRules,
  ) {
    this.kind = m.kind ?? 'stdio';
  }

  run(): { draft: ProblemDraft; data: Map<string, Buffer> } {
    const signature = this.signature();
    const interactor = this.interactor();
    const checker = this.checker();
    const limits = this.limits();
    const limitMultipliers = this.multipliers(limits);
    const expanded = this.expandTests();
    const tests = this.storeTests(expanded, signature);
    const subtasks = this.subtasks(expanded.map((t) => t.name));
    const samples = this.samples(expanded);
    if (this.problems.length > 0) throw new InvalidProblemPackageError([...new Map(this.problems.map((p) => [p.message, p])).values()]);
    return {
      draft: {
        requestedId: this.m.id ?? null,
        title: this.m.title.trim(),
        statement: this.m.statement ?? '',
        tags: this.m.tags ?? [],
        difficulty: this.m.difficulty ?? null,
        kind: this.kind,
        limits,
        limitMultipliers,
        checker: checker!,
        interactor,
        function: signature,
        tests,
        subtasks,
        stopOnFirstFailure: this.m.stopOnFirstFailure ?? false,
        feedback: this.m.feedback ?? DEFAULT_FEEDBACK_LEVEL,
        samples,
      },
      data: this.data,
    };
  }

  /** A problem with a field of the manifest (the JSON form's body has the same fields). */
  private at(field: string, message: string): void {
    this.problems.push({ field, message: `${MANIFEST_FILE}: ${field}: ${message}` });
  }

  /** A problem with a file's content; the message starts with the file. */
  private inFile(path: string, message: string): void {
    this.problems.push({ field: packageFileField(path), message });
  }

  private language(field: string, id: string): void {
    if (!this.rules.languages.includes(id)) this.at(field, `unknown language "${id}" (known: ${this.rules.languages.join(', ')})`);
  }

  /** A path the manifest names, normalized; null after reporting one that leaves the package (the schema's pattern lets a NUL or a trailing / through). */
  private packagePath(field: string, path: string): string | null {
    const normalized = normalizePackagePath(path);
    if (normalized === null) this.at(field, `must be the path of a file inside the package (got ${JSON.stringify(path)})`);
    return normalized;
  }

  /** The file at `path` as stored data (kept for storing), or null after reporting it missing. */
  private file(path: string, namedBy: string): StoredData | null {
    const content = this.pkg.files.get(path);
    if (!content) {
      this.problems.push({ field: namedBy, message: `${path}: missing (named by ${namedBy})` });
      return null;
    }
    const sha256 = sha256Of(content);
    this.data.set(sha256, content);
    return { sha256, bytes: content.length };
  }

  private program(field: 'checker' | 'interactor', language: string, source: string): ProgramRef | null {
    this.language(`${field}.language`, language);
    const usable = this.rules.programLanguages[field];
    if (this.rules.languages.includes(language) && !usable.includes(language)) {
      this.at(`${field}.language`, `${language} cannot be used for ${field === 'checker' ? 'a checker' : 'an interactor'} (usable: ${usable.join(', ')})`);
    }
    const path = this.packagePath(`${field}.source`, source);
    if (path === null) return null;
    const stored = this.file(path, `${field}.source`);
    return stored ? { language, source: stored } : null;
  }

  private signature(): FunctionSignature | null {
    const { function: signature } = this.m;
    if (this.kind === 'function' && !signature) this.at('function', 'is required for kind function (functionName, parameters, returnType)');
    if (this.kind !== 'function' && signature) this.at('function', `only function problems have a signature (kind is ${this.kind})`);
    if (!signature || this.kind !== 'function') return null;
    if (this.rules.functionValues) {
      // Its messages start with the field (`parameters[0].name ...`).
      for (const message of this.rules.functionValues.validateSignature(signature)) this.problems.push({ field: 'function', message: `${MANIFEST_FILE}: function.${message}` });
    } else {
      const names = signature.parameters.map((p) => p.name);
      names.forEach((name, i) => {
        if (names.indexOf(name) !== i) this.at(`function.parameters[${i}].name`, `duplicate parameter "${name}"`);
      });
    }
    return signature;
  }

  private interactor(): ProgramRef | null {
    const { interactor } = this.m;
    if (this.kind === 'interactive' && !interactor) this.at('interactor', 'is required for kind interactive (language, source)');
    if (this.kind !== 'interactive' && interactor) this.at('interactor', `only interactive problems have an interactor (kind is ${this.kind})`);
    if (!interactor || this.kind !== 'interactive') return null;
    return this.program('interactor', interactor.language, interactor.source);
  }

  private checker(): CheckerSpec | null {
    const given = this.m.checker ?? { type: this.kind === 'function' ? 'json' : 'tokens' };
    const { type, absError, relError, anyOrder, language, source } = given;
    const isProgram = (PROGRAM_CHECKER_TYPES as readonly string[]).includes(type);
    if (type === 'json' && this.kind !== 'function') this.at('checker.type', 'json compares the values functions return: it is for kind function only');
    if ((absError !== undefined || relError !== undefined) && type !== 'float' && type !== 'json') {
      this.at('checker', `absError and relError apply to float and json checkers, not ${type}`);
    }
    if (anyOrder !== undefined && type !== 'json') this.at('checker.anyOrder', `applies to json checkers, not ${type}`);
    if (!isProgram && (language !== undefined || source !== undefined)) {
      this.at('checker', `${type} is built in: language and source are for testlib and kattis checkers`);
    }
    const spec: CheckerSpec = { type };
    if (absError !== undefined) spec.absError = absError;
    if (relError !== undefined) spec.relError = relError;
    if (anyOrder !== undefined) spec.anyOrder = anyOrder;
    if (isProgram) {
      if (language === undefined) this.at('checker.language', `is required for a ${type} checker`);
      if (source === undefined) this.at('checker.source', `is required for a ${type} checker (the program's source file)`);
      if (language === undefined || source === undefined) return null;
      const program = this.program('checker', language, source);
      if (!program) return null;
      spec.program = program;
    }
    return spec;
  }

  private limits(): Limits {
    const { limits, problems } = resolveLimits(this.m.limits, this.rules.limits);
    for (const problem of problems) this.at(problem.field, problem.message);
    return limits;
  }

  /** Each language's factors; the scaled limits must stay within the deployment's bounds too. */
  private multipliers(limits: Limits): Record<string, LimitMultiplier> {
    const result: Record<string, LimitMultiplier> = {};
    for (const [language, given] of Object.entries(this.m.limitMultipliers ?? {})) {
      this.language(`limitMultipliers.${language}`, language);
      const multiplier = { cpuTime: given.cpuTime ?? 1, memory: given.memory ?? 1 };
      const scaled: [keyof Limits, keyof LimitMultiplier][] = [['cpuTimeMs', 'cpuTime'], ['wallTimeMs', 'cpuTime'], ['memoryMb', 'memory']];
      for (const [limit, factor] of scaled) {
        const value = Math.ceil(limits[limit] * multiplier[factor]);
        const { max, setting } = this.rules.limits[limit];
        if (value > max) this.at(`limitMultipliers.${language}.${factor}`, `limits.${limit} ${limits[limit]} × ${multiplier[factor]} = ${value} is above this deployment's maximum ${max} (${setting})`);
      }
      result[language] = multiplier;
    }
    return result;
  }

  private expandTests(): ExpandedTest[] {
    const tests: ExpandedTest[] = [];
    const inputs = [...this.pkg.files.keys()].filter((path) => path !== MANIFEST_FILE && !OUTPUT_LIKE.test(path)).sort(naturalOrder);
    this.m.tests.forEach((entry, i) => {
      const flags = { sample: entry.sample ?? false, pretest: entry.pretest ?? false };
      if ('glob' in entry) {
        const isMatch = picomatch(entry.glob);
        const matches = inputs.filter((path) => isMatch(path));
        if (matches.length === 0) this.at(`tests[${i}].glob`, `"${entry.glob}" matches no file`);
        for (const input of matches) {
          tests.push({ name: testNameOf(input), field: `tests[${i}].glob`, input, output: this.outputBeside(input, `tests[${i}].glob`), ...flags });
        }
        return;
      }
      const input = this.packagePath(`tests[${i}].input`, entry.input);
      const output = entry.output === undefined ? undefined : this.packagePath(`tests[${i}].output`, entry.output);
      if (input === null || output === null) return;
      const name = entry.name !== undefined ? String(entry.name) : testNameOf(input);
      tests.push({ name, field: `tests[${i}]`, input, output: output === undefined ? this.outputBeside(input, `tests[${i}]`) : output, ...flags });
    });

    const firstField = new Map<string, string>();
    for (const test of tests) {
      const earlier = firstField.get(test.name);
      if (earlier) this.at(test.field, `duplicate test name "${test.name}" (also from ${earlier})`);
      else firstField.set(test.name, test.field);
    }
    if (tests.length > this.rules.maxTests) this.at('tests', `${tests.length} tests, more than the ${this.rules.maxTests} a problem may have (PROBLEM_MAX_TESTS)`);
    return tests;
  }

  /** The output file beside an input (`1.in` → `1.out` or `1.ans`); reports it missing when the kind needs one. */
  private outputBeside(input: string, field: string): string | null {
    const rule = OUTPUT_BESIDE.find(([extension]) => input.endsWith(extension));
    const candidates = rule ? rule[1].map((extension) => input.slice(0, -rule[0].length) + extension) : [];
    const found = candidates.find((path) => this.pkg.files.has(path));
    if (found || NO_OUTPUT_NEEDED.includes(this.kind)) return found ?? null;
    if (candidates.length === 0) {
      this.at(`${field}.output`, `is required: no output can be found beside input "${input}" (only .in and .args.json inputs have one)`);
    } else {
      const source = field.endsWith('.glob') ? `"${input}", matched by ${field}` : `${field} input "${input}"; or name it in ${field}.output`;
      this.problems.push({ field: field.endsWith('.glob') ? field : `${field}.output`, message: `${candidates[0]}: missing (the expected output of ${source})` });
    }
    return null;
  }

  private storeTests(expanded: ExpandedTest[], signature: FunctionSignature | null): ProblemTest[] {
    const empty = () => {
      const content = Buffer.alloc(0);
      const sha256 = sha256Of(content);
      this.data.set(sha256, content);
      return { sha256, bytes: 0 };
    };
    const tests: ProblemTest[] = [];
    for (const test of expanded) {
      const namedBy = test.field.endsWith('.glob') ? test.field : `${test.field}.input`;
      const input = this.file(test.input, namedBy);
      const answer = test.output === null ? empty() : this.file(test.output, test.field.endsWith('.glob') ? test.field : `${test.field}.output`);
      if (!input || !answer) continue;
      if (signature) this.checkFunctionTest(test, signature);
      tests.push({ name: test.name, input, answer, sample: test.sample, pretest: test.pretest });
    }
    return tests;
  }

  /** A function problem's test: the input is the JSON array of arguments, the output the JSON return value. */
  private checkFunctionTest(test: ExpandedTest, signature: FunctionSignature): void {
    const args = this.json(test.input);
    if (args !== undefined) {
      const expected = signature.parameters.map((p) => p.name).join(', ');
      if (!Array.isArray(args) || args.length !== signature.parameters.length) {
        const got = Array.isArray(args) ? `${args.length} item${args.length === 1 ? '' : 's'}` : `a JSON ${args === null ? 'null' : typeof args}`;
        this.inFile(test.input, `${test.input}: must be a JSON array of the ${signature.parameters.length} arguments (${expected}); got ${got}`);
      } else if (this.rules.functionValues) {
        signature.parameters.forEach((parameter, i) => {
          for (const message of this.rules.functionValues!.validateValue(parameter.type, args[i], `${test.input}: ${parameter.name}`)) this.inFile(test.input, message);
        });
      }
    }
    if (test.output === null) return;
    const value = this.json(test.output);
    if (value !== undefined && this.rules.functionValues) {
      for (const message of this.rules.functionValues.validateValue(signature.returnType, value, `${test.output}: answer`)) this.inFile(test.output, message);
    }
  }

  private json(path: string): unknown {
    const content = this.pkg.files.get(path);
    if (!content) return undefined;
    try {
      return JSON.parse(content.toString('utf8'));
    } catch (error) {
      this.inFile(path, `${path}: not valid JSON (${(error as Error).message})`);
      return undefined;
    }
  }

  private samples(tests: ExpandedTest[]): ProblemSample[] {
    const samples: ProblemSample[] = [];
    const limitKb = Math.floor(this.rules.maxSampleBytes / 1024);
    for (const test of tests.filter((t) => t.sample)) {
      const input = this.pkg.files.get(test.input);
      const output = test.output === null ? Buffer.alloc(0) : this.pkg.files.get(test.output);
      if (!input || !output) continue;
      for (const [path, content] of [[test.input, input], [test.output, output]] as const) {
        if (path !== null && content.length > this.rules.maxSampleBytes) {
          this.inFile(path, `${path}: ${Math.ceil(content.length / 1024)} KiB; a sample is shown to everyone and each of its files may be at most ${limitKb} KiB (PROBLEM_MAX_SAMPLE_KB)`);
        }
      }
      samples.push({ name: test.name, input: input.toString('utf8'), output: output.toString('utf8') });
    }
    return samples;
  }

  private subtasks(testNames: string[]): ProblemSubtask[] {
    if (!this.m.subtasks) return [{ name: 'all', points: 100, aggregation: 'sum', tests: testNames, dependsOn: [] }];
    const declared = this.m.subtasks;
    const index = new Map<string, number>();
    declared.forEach((s, i) => {
      if (index.has(s.name)) this.at(`subtasks[${i}].name`, `duplicate subtask "${s.name}" (also subtasks[${index.get(s.name)}])`);
      else index.set(s.name, i);
    });

    const covered = new Set<string>();
    const subtasks = declared.map((s, i): ProblemSubtask => {
      const chosen = new Set<string>();
      s.tests.forEach((raw, k) => {
        const pattern = String(raw);
        const isMatch = GLOB_CHARS.test(pattern) ? picomatch(pattern) : (name: string) => name === pattern;
        const matches = testNames.filter((name) => isMatch(name));
        if (matches.length === 0) this.at(`subtasks[${i}].tests[${k}]`, `"${pattern}" ${GLOB_CHARS.test(pattern) ? 'matches no test' : 'is not a test'}`);
        for (const name of matches) chosen.add(name);
      });
      const dependsOn = s.dependsOn ?? [];
      dependsOn.forEach((dependency, k) => {
        if (dependency === s.name) this.at(`subtasks[${i}].dependsOn[${k}]`, 'a subtask cannot depend on itself');
        else if (!index.has(dependency)) this.at(`subtasks[${i}].dependsOn[${k}]`, `unknown subtask "${dependency}"`);
      });
      for (const name of chosen) covered.add(name);
      // In the order of the package's tests, whatever the order of the patterns.
      return { name: s.name, points: s.points, aggregation: s.aggregation ?? 'min', tests: testNames.filter((name) => chosen.has(name)), dependsOn };
    });

    const cycle = findDependencyCycle(subtasks);
    if (cycle) this.at('subtasks', `dependency cycle: ${cycle.join(' -> ')}`);
    const uncovered = testNames.filter((name) => !covered.has(name));
    if (uncovered.length > 0) {
      const listed = uncovered.slice(0, 10).map((name) => `"${name}"`).join(', ') + (uncovered.length > 10 ? ` and ${uncovered.length - 10} more` : '');
      this.at('subtasks', `test${uncovered.length === 1 ? '' : 's'} ${listed} ${uncovered.length === 1 ? 'is' : 'are'} in no subtask (every test must be in one; a 0-point subtask will do)`);
    }
    return subtasks;
  }
}

/** A dependency cycle among subtasks (`a -> b -> a`), or null. Unknown dependencies are ignored here. */
export function findDependencyCycle(subtasks: Pick<ProblemSubtask, 'name' | 'dependsOn'>[]): string[] | null {
  const byName = new Map(subtasks.map((s) => [s.name, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const dependency of byName.get(name)?.dependsOn ?? []) {
      if (!byName.has(dependency) || dependency === name) continue;
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, 'done');
    return null;
  };
  for (const subtask of subtasks) {
    const cycle = visit(subtask.name);
    if (cycle) return cycle;
  }
  return null;
}
