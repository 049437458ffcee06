import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
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
  ProblemSharingDto,
  ProblemTemplate,
  ProblemTemplateQuery,
  ProblemUpload,
  ProblemVersionQuery,
  ProblemView,
  SetProblemSharing,
  problemUploadSchema,
} from '@verdict/problems';
import { CurrentPrincipal, Principal } from '@verdict/tenants';
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
  ownerTenantId: 'acme-contests',
  shared: false,
};

/** Another tenant's problem is answered as a missing one; so is one unshared since. */
const NOT_FOUND: ProblemExample = { type: 'not-found', detail: 'problem "a-plus-b" not found' };

/**
 * The 403s of a change to a problem: the key's missing scope (as @Scopes documents it), and a
 * problem shared with the key's tenant but owned by another. Their @ApiProblemResponses sits above
 * @Scopes, so that this one 403 (both examples) is the one documented.
 */
const CHANGE_FORBIDDEN: ProblemExample[] = [
  { type: 'forbidden', name: 'missing-scope', detail: 'API key k3yPr3f1 lacks the scope "problems:write" this operation needs' },
  { type: 'forbidden', name: 'shared-read-only', detail: 'problem "a-plus-b" is shared read-only: only its owner or an admin may change it' },
];

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

/**
 * Problem packages: a JSON body (problem.yaml fields + `files`) or a zip of the package directory.
 * A problem belongs to the tenant whose key created it (an admin's has no owner); a tenant sees its
 * own and the shared ones (another's is not found), and changes only its own; admins see and change
 * all, and share problems read-only with every tenant.
 */
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
    private readonly setSharing: SetProblemSharing,
  ) {}

  @Post()
  @Scopes('problems:write')
  @ApiOperation({
    operationId: 'createProblem',
    summary: 'Upload a problem package: version 1 of a new problem',
    description: "The problem is the key's tenant's (an admin key's: no owner's), not shared. Ids are global: an id any tenant has taken is a conflict.",
    requestBody: PACKAGE_BODY,
  })
  @ApiCreatedResponse({ type: ProblemView, example: PROBLEM_EXAMPLE })
  @ApiProblemResponses(
    '/v1/problems',
    ...UPLOAD_PROBLEMS,
    { type: 'conflict', detail: 'problem "a-plus-b" already exists; add a version with POST /v1/problems/a-plus-b/versions' },
  )
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<ProblemView> {
    return this.createProblem.execute(uploadOf(body), principal);
  }

  @Post(':id/versions')
  @ApiProblemResponses('/v1/problems/a-plus-b/versions', ...UPLOAD_PROBLEMS, ...CHANGE_FORBIDDEN, NOT_FOUND)
  @Scopes('problems:write')
  @ApiOperation({
    operationId: 'createProblemVersion',
    summary: 'Upload a new immutable version of a problem',
    description: "Its owner's keys and admins only; the problem keeps its owner and sharing.",
    requestBody: PACKAGE_BODY,
  })
  @ApiParam({ name: 'id', example: 'a-plus-b' })
  @ApiCreatedResponse({ type: ProblemView, example: { ...PROBLEM_EXAMPLE, version: 2, latestVersion: 2 } })
  createNewVersion(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<ProblemView> {
    return this.createVersion.execute(problemId(id), uploadOf(body), principal);
  }

  @Get()
  @Scopes('read')
  @ApiOperation({ operationId: 'listProblems', summary: "Problems, in the order they were created: a tenant's own and the shared ones (an admin: all)" })
  @ApiOkResponse({
    type: ProblemList,
    example: {
      total: 1,
      offset: 0,
      problems: [{ id: 'a-plus-b', title: 'A + B', tags: ['math'], difficulty: 'easy', latestVersion: 1, createdAt: '2026-12-03T10:00:00.000Z', updatedAt: '2026-12-03T10:00:00.000Z', ownerTenantId: 'acme-contests', shared: false }],
    },
  })
  @ApiProblemResponses('/v1/problems', {
    type: 'invalid-request',
    detail: 'limit must not be greater than 1000',
    errors: [{ field: 'limit', message: 'limit must not be greater than 1000' }],
  })
  list(@Query() query: ListProblemsQuery, @CurrentPrincipal() principal: Principal): Promise<ProblemList> {
    return this.listProblems.execute(query, principal);
  }

  @Get(':id')
  @Scopes('read')
  @ApiOperation({ operationId: 'getProblem', summary: "A problem's metadata and public samples (hidden tests, checkers and interactors never leave)" })
  @ApiParam({ name: 'id', example: 'a-plus-b' })
  @ApiOkResponse({ type: ProblemView, example: PROBLEM_EXAMPLE })
  @ApiProblemResponses(
    '/v1/problems/a-plus-b',
    { type: 'invalid-request', detail: 'version must not be less than 1', errors: [{ field: 'version', message: 'version must not be less than 1' }] },
    NOT_FOUND,
    { type: 'not-found', name: 'no-such-version', detail: 'problem "a-plus-b" has no version 99 (latest: 1)' },
  )
  get(@Param('id') id: string, @Query() query: ProblemVersionQuery, @CurrentPrincipal() principal: Principal): Promise<ProblemView> {
    return this.getProblem.execute(problemId(id), query, principal);
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
  template(@Param('id') id: string, @Query() query: ProblemTemplateQuery, @CurrentPrincipal() principal: Principal): Promise<ProblemTemplate> {
    return this.getTemplate.execute(problemId(id), query, principal);
  }

  @Delete(':id')
  @ApiProblemResponses('/v1/problems/a-plus-b', ...CHANGE_FORBIDDEN, NOT_FOUND)
  @Scopes('problems:write')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteProblem', summary: 'Delete a problem and all its versions', description: "Its owner's keys and admins only." })
  @ApiParam({ name: 'id', example: 'a-plus-b' })
  @ApiNoContentResponse({ description: 'Deleted; submissions already queued are still judged.' })
  async remove(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.deleteProblem.execute(problemId(id), principal);
  }

  @Put(':id/sharing')
  @Scopes('admin')
  @ApiOperation({
    operationId: 'setProblemSharing',
    summary: 'Share a problem read-only with every tenant, or stop sharing it (admin keys only)',
    description:
      'Shared, every tenant lists it, reads it and submits against it; only its owner and admins change it (others: 403). ' +
      "Unshared again, it is not found for other tenants; their submissions already made stay theirs.",
  })
  @ApiParam({ name: 'id', example: 'a-plus-b' })
  @ApiBody({ type: ProblemSharingDto, examples: { share: { summary: 'Share with every tenant', value: { shared: true } }, unshare: { summary: 'Stop sharing', value: { shared: false } } } })
  @ApiOkResponse({ type: ProblemView, example: { ...PROBLEM_EXAMPLE, shared: true } })
  @ApiProblemResponses(
    '/v1/problems/a-plus-b/sharing',
    { type: 'invalid-request', detail: 'shared must be a boolean value', errors: [{ field: 'shared', message: 'shared must be a boolean value' }] },
    NOT_FOUND,
    ...JSON_BODY_PROBLEMS,
  )
  share(@Param('id') id: string, @Body() body: ProblemSharingDto, @CurrentPrincipal() principal: Principal): Promise<ProblemView> {
    return this.setSharing.execute(problemId(id), body, principal);
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
