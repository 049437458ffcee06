import { Type, plainToInstance } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Min,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { SUBMISSION_ID_PATTERN } from './judge-job';
import { SubtaskResult } from './scoring';
import { TestResult } from './test-result';
import { VERDICTS, Verdict } from './verdict';
import { describeValidationErrors } from './validation-errors';

/**
 * Events the worker publishes on the result stream, in order, for each attempt at a submission:
 * running, compiled (compiled languages), tests (the tests judged since the last one; batched, so a
 * submission of many fast tests is not one stream entry per test), final. Consumers apply them
 * idempotently: any of them may be delivered twice or out of order.
 */
export const RESULT_EVENT_TYPES = ['running', 'compiled', 'tests', 'final'] as const;
export type ResultEventType = (typeof RESULT_EVENT_TYPES)[number];

/** Version of the stream entry layout; bumped on an incompatible change. */
export const RESULT_EVENT_VERSION = '1';

class ResultEventBase {
  @Matches(SUBMISSION_ID_PATTERN, { message: 'submissionId must be a submission id (uuid)' })
  submissionId!: string;

  @IsString()
  traceparent!: string;

  @IsInt() @Min(1)
  attempt!: number;
}

export class RunningEvent extends ResultEventBase {
  readonly type = 'running' as const;
  @IsISO8601() startedAt!: string;
  @IsString() workerId!: string;
}

export class CompiledEvent extends ResultEventBase {
  readonly type = 'compiled' as const;
  @IsString() compileOutput!: string;
}

export class TestsEvent extends ResultEventBase {
  readonly type = 'tests' as const;
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => TestResult) tests!: TestResult[];
}

export class FinalEvent extends ResultEventBase {
  readonly type = 'final' as const;
  @IsIn(['completed', 'failed']) status!: 'completed' | 'failed';
  @IsIn(VERDICTS as unknown as string[]) verdict!: Verdict;
  @IsArray() @ValidateNested({ each: true }) @Type(() => TestResult) tests!: TestResult[];
  @IsOptional() @IsString() compileOutput!: string | null;
  @IsOptional() @IsString() message!: string | null;
  @IsISO8601() finishedAt!: string;
  /** Points earned and available (subtask points summed); 0 of the maximum for CE, null when failed. */
  @IsOptional() @IsNumber() @Min(0) score!: number | null;
  @IsOptional() @IsNumber() @Min(0) maxScore!: number | null;
  @IsArray() @ValidateNested({ each: true }) @Type(() => SubtaskResult) subtasks!: SubtaskResult[];
}

export type ResultEvent = RunningEvent | CompiledEvent | TestsEvent | FinalEvent;

/**
 * The final result of a submission the judge could not judge (status failed, verdict IE, no tests,
 * no score), with the reason: the one shape every such ending takes, whoever publishes it.
 */
export function judgeFailedEvent(ends: Pick<FinalEvent, 'submissionId' | 'traceparent' | 'attempt' | 'message'>): FinalEvent {
  return {
    type: 'final',
    ...ends,
    status: 'failed',
    verdict: 'IE',
    tests: [],
    compileOutput: null,
    finishedAt: new Date().toISOString(),
    score: null,
    maxScore: null,
    subtasks: [],
  };
}
const EVENT_CLASSES = { running: RunningEvent, compiled: CompiledEvent, tests: TestsEvent, final: FinalEvent };

/** Stream entries are flat field maps: the envelope is readable with redis-cli, the body is JSON. */
export function encodeResultEvent(event: ResultEvent): Record<string, string> {
  const { type, submissionId, traceparent, ...body } = event;
  return { v: RESULT_EVENT_VERSION, type, submissionId, traceparent, body: JSON.stringify(body) };
}

export class InvalidResultEventError extends Error {}

/** Parses and validates a stream entry; throws InvalidResultEventError naming what is wrong. */
export function decodeResultEvent(fields: Record<string, string>): ResultEvent {
  if (fields.v !== RESULT_EVENT_VERSION) {
    throw new InvalidResultEventError(`unsupported event version ${JSON.stringify(fields.v)} (expected ${RESULT_EVENT_VERSION})`);
  }
  const type = fields.type as ResultEventType;
  const cls = EVENT_CLASSES[type];
  if (!cls) throw new InvalidResultEventError(`type must be one of ${RESULT_EVENT_TYPES.join(', ')}, got ${JSON.stringify(fields.type)}`);
  let body: unknown;
  try {
    body = JSON.parse(fields.body ?? '');
  } catch {
    throw new InvalidResultEventError('body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidResultEventError('body must be a JSON object');
  }
  const event = plainToInstance(cls as new () => ResultEvent, {
    ...body,
    submissionId: fields.submissionId,
    traceparent: fields.traceparent,
  });
  const errors = validateSync(event, { forbidUnknownValues: true });
  if (errors.length > 0) throw new InvalidResultEventError(describeValidationErrors(errors).join('; '));
  return event;
}
