import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { PROBLEM_ID_PATTERN } from '@verdict/contracts';
import {
  CreateProblem,
  CreateProblemVersion,
  DeleteProblem,
  GetProblem,
  GetProblemTemplate,
  ListProblems,
  ListProblemsQuery,
  ProblemList,
  ProblemTemplate,
  ProblemTemplateQuery,
  ProblemUpload,
  ProblemVersionQuery,
  ProblemView,
  problemUploadSchema,
} from '@verdict/problems';
import { IncomingMessage } from 'node:http';
import { ApiProblemResponses, JSON_BODY_PROBLEMS, ProblemExample } from './problem-responses';
import { Scopes } from './access';

/** Streamed to the package reader unparsed; some browsers label zip files application/x-zip-compressed. */
export const ZIP_MEDIA_TYPES = ['application/zip', 'application/x-zip-compressed'];
export const PACKAGE_MEDIA_REFUSAL = 'send the package as application/json (problem.yaml fields and files) or application/zip';

/** A package upload: the JSON form or a zip of the package directory. */
const PACKAGE_BODY = {
  required: true,
  description: 'A problem package: problem.yaml as JSON with its files, or a zip of the package directory (libs/problems/README.md).',
  content: {
    'application/json': {
      schema: problemUploadSchema(),
      example: {
        id: 'a-plus-b',
        title: 'A + B',
        statement: 'Print the sum of two integers.',
        limits: { cpuTimeMs: 1000, memoryMb: 256 },
        tests: [{ input: 'tests/sample-1.in', sample: true }, { glob: 'tests/[0-9]*.in' }],
        files: { 'tests/sample-1.in': '1 2\n', 'tests/sample-1.out': '3\n', 'tests/1.in': '10 20\n', 'tests/1.out': '30\n' },
      },
    },
    ...Object.fromEntries(ZIP_MEDIA_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary', description: 'problem.yaml at the root, or in the single top folder.' } }])),
  },
};

const PROBLEM_EXAMPLE = {
  id: 'a-plus-b',
  version: 1,
  latestVersion: 1,
  title: 'A + B',
  statement: 'Print the sum of two integers.',
  tags: ['math'],
  difficulty: 'easy',
  kind: 'stdio',
  limits: { cpuTimeMs: 1000, wallTimeMs: 5000, memoryMb: 256, outputKb: 1024 },
  limitMultipliers: {},
  checker: { type: 'tokens' },
  function: null,
  testCount: 2,
  pretestCount: 0,
  subtasks: [{ name: 'all', points: 100, aggregation: 'sum', dependsOn: [], testCount: 2 }],
  samples: [{ name: 'sample-1', input: '1 2\n', output: '3\n' }],
  stopOnFirstFailure: false,
  feedback: 'tests',
  createdAt: '2026-12-03T10:00:00.000Z',
};

/** What an upload may be refused for, besides the problems of any JSON body. */
const UPLOAD_PROBLEMS: ProblemExample[] = [
  {
    type: 'invalid-request',
    detail: 'tests/sample-1.ans: missing (named by tests[0].output); problem.yaml: subtasks[1].dependsOn[0]: unknown subtask "large"',
    errors: [
      { field: 'tests[0].output', message: 'tests/sample-1.ans: missing (named by tests[0].output)' },
      { field: 'subtasks[1].dependsOn[0]', message: 'problem.yaml: subtasks[1].dependsOn[0]: unknown subtask "large"' },
    ],
  },
  ...JSON_BODY_PROBLEMS.filter((p) => p.type !== 'unsupported-media-type' && p.type !== 'too-large'),
  { type: 'too-large', detail: 'upload: larger than 256 MB (PROBLEM_MAX_UPLOAD_MB)' },
  { type: 'unsupported-media-type', detail: PACKAGE_MEDIA_REFUSAL },
];

/** Problem packages: a JSON body (problem.yaml fields + `files`) or a zip of the package directory. */
@ApiTags('problems')
@Controller('v1/problems')
export class ProblemsController {
  constructor(
    private readonly createProblem: CreateProblem,
    private readonly createVersion: CreateProblemVersion,
    private readonly listProblems: ListProblems,
    private readonly getProblem: GetProblem,
    private readonly deleteProblem: DeleteProblem,
    private readonly getTemplate: GetProblemTemplate,
  ) {}

  @Post()
  @Scopes('problems:write')
  @ApiOperation({ operationId: 'createProblem', summary: 'Upload a problem package: version 1 of a new problem', requestBody: PACKAGE_BODY })
  @ApiCreatedResponse({ type: ProblemView, example: PROBLEM_EXAMPLE })
  @ApiProblemResponses(
    '/v1/problems',
    ...UPLOAD_PROBLEMS,
    { type: 'conflict', detail: 'problem "a-plus-b" already exists; add a version with POST /v1/problems/a-plus-b/versions' },
  )
  create(@Body() body: unknown): Promise<ProblemView> {
    return this.createProblem.execute(uploadOf(body));
  }

  @Post(':id/versions')
  @Scopes('problems:write')
  @ApiOperation({ operationId: 'createProblemVersion', summary: 'Upload a new immutable version of a problem', requestBody: PACKAGE_BODY })
  @ApiParam({ name: 'id', example: 'a-plus-b' })
  @ApiCreatedResponse({ type: ProblemView, example: { ...PROBLEM_EXAMPLE, version: 2, latestVersion: 2 } })
  @ApiProblemResponses('/v1/problems/a-plus-b/versions', ...UPLOAD_PROBLEMS, { type: 'not-found', detail: 'problem "a-plus-b" not found' })
  createNewVersion(@Param('id') id: string, @Body() body: unknown): Promise<ProblemView> {
    return this.createVersion.execute(problemId(id), uploadOf(body));
  }

  @Get()
  @Scopes('read')
  @ApiOperation({ operationId: 'listProblems', summary: 'Problems, in the order they were created' })
  @ApiOkResponse({
    type: ProblemList,
    example: { total: 1, offset: 0, problems: [{ id: 'a-plus-b', title: 'A + B', tags: ['math'], difficulty: 'easy', latestVersion: 1, createdAt: '2026-12-03T10:00:00.000Z', updatedAt: '2026-12-03T10:00:00.000Z' }] },
  })
  @ApiProblemResponses('/v1/problems', {
    type: 'invalid-request',
    detail: 'limit must not be greater than 1000',
    errors: [{ field: 'limit', message: 'limit must not be greater than 1000' }],
  })
  list(@Query() query: ListProblemsQuery): Promise<ProblemList> {
    return this.listProblems.execute(query);
  }

  @Get(':id')
  @Scopes('read')
  @ApiOperation({ operationId: 'getProblem', summary: "A problem's metadata and public samples (hidden tests, checkers and interactors never leave)" })
  @ApiParam({ name: 'id', example: 'a-plus-b' })
  @ApiOkResponse({ type: ProblemView, example: PROBLEM_EXAMPLE })
  @ApiProblemResponses(
    '/v1/problems/a-plus-b',
    { type: 'invalid-request', detail: 'version must not be less than 1', errors: [{ field: 'version', message: 'version must not be less than 1' }] },
    { type: 'not-found', detail: 'problem "a-plus-b" has no version 99 (latest: 1)' },
  )
  get(@Param('id') id: string, @Query() query: ProblemVersionQuery): Promise<ProblemView> {
    return this.getProblem.execute(problemId(id), query);
  }

  @Get(':id/template')
  @Scopes('read')
  @ApiOperation({ operationId: 'getProblemTemplate', summary: 'Starter code of a function problem in one language' })
  @ApiParam({ name: 'id', example: 'two-sum' })
  @ApiOkResponse({ type: ProblemTemplate, example: { problemId: 'two-sum', version: 1, language: 'python', code: 'from typing import List\n\n\ndef twoSum(nums: List[int], target: int) -> List[int]:\n    pass\n' } })
  @ApiProblemResponses(
    '/v1/problems/a-plus-b/template',
    {
      type: 'invalid-request',
      detail: 'problem "a-plus-b" is a stdio problem: templates exist for function problems only',
      errors: [{ field: null, message: 'problem "a-plus-b" is a stdio problem: templates exist for function problems only' }],
    },
    { type: 'not-found', detail: 'problem "two-sum" not found' },
  )
  template(@Param('id') id: string, @Query() query: ProblemTemplateQuery): Promise<ProblemTemplate> {
    return this.getTemplate.execute(problemId(id), query);
  }

  @Delete(':id')
  @Scopes('problems:write')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteProblem', summary: 'Delete a problem and all its versions' })
  @ApiParam({ name: 'id', example: 'a-plus-b' })
  @ApiNoContentResponse({ description: 'Deleted; submissions already queued are still judged.' })
  @ApiProblemResponses('/v1/problems/a-plus-b', { type: 'not-found', detail: 'problem "a-plus-b" not found' })
  async remove(@Param('id') id: string): Promise<void> {
    await this.deleteProblem.execute(problemId(id));
  }
}

/** The JSON body as parsed by the API's body parser, or the zip stream, still unread (request-bodies.ts refused other media types). */
function uploadOf(body: unknown): ProblemUpload {
  return body instanceof IncomingMessage ? { zip: body } : { json: body };
}

function problemId(id: string): string {
  if (!PROBLEM_ID_PATTERN.test(id)) throw new NotFoundException(`problem "${id}" not found`);
  return id;
}
