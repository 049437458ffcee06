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
  Req,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { PROBLEM_ID_PATTERN } from '@verdict/contracts';
import {
  CreateProblem,
  CreateProblemVersion,
  DeleteProblem,
  GetProblem,
  GetProblemTemplate,
  ListProblems,
  ListProblemsQuery,
  ProblemTemplate,
  ProblemTemplateQuery,
  ProblemUpload,
  ProblemVersionQuery,
  ProblemView,
} from '@verdict/problems';
import { Request } from 'express';

/** Problem packages: a JSON body (problem.yaml fields + `files`) or a zip of the package directory. */
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
  create(@Req() request: Request, @Body() body: unknown): Promise<ProblemView> {
    return this.createProblem.execute(uploadOf(request, body));
  }

  @Post(':id/versions')
  createNewVersion(@Param('id') id: string, @Req() request: Request, @Body() body: unknown): Promise<ProblemView> {
    return this.createVersion.execute(problemId(id), uploadOf(request, body));
  }

  @Get()
  list(@Query() query: ListProblemsQuery) {
    return this.listProblems.execute(query);
  }

  @Get(':id')
  get(@Param('id') id: string, @Query() query: ProblemVersionQuery): Promise<ProblemView> {
    return this.getProblem.execute(problemId(id), query);
  }

  @Get(':id/template')
  template(@Param('id') id: string, @Query() query: ProblemTemplateQuery): Promise<ProblemTemplate> {
    return this.getTemplate.execute(problemId(id), query);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.deleteProblem.execute(problemId(id));
  }
}

/** The JSON body as parsed by the API's body parser, or the zip stream, still unread. */
function uploadOf(request: Request, body: unknown): ProblemUpload {
  // Some browsers label zip files application/x-zip-compressed.
  if (request.is(['application/zip', 'application/x-zip-compressed'])) return { zip: request };
  if (request.is('application/json')) return { json: body };
  throw new UnsupportedMediaTypeException('send the package as application/json (problem.yaml fields and files) or application/zip');
}

function problemId(id: string): string {
  if (!PROBLEM_ID_PATTERN.test(id)) throw new NotFoundException(`problem "${id}" not found`);
  return id;
}
