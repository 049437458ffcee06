import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Requester } from '@verdict/contracts';
import { UnsupportedFunctionLanguageError, starterCode } from '@verdict/function-problems';
import { LanguageCatalog } from '@verdict/languages';
import { assertCanSee } from './problem-access';
import { ProblemNotFoundError, ProblemRequestError } from './problem-errors';
import { ProblemTemplateQuery } from './problem-queries';
import { ProblemStore } from './problem-store';

/** Starter code for a function problem in one language: the function to write, with its signature. */
export class ProblemTemplate {
  @ApiProperty({ example: 'two-sum' }) problemId!: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) version!: number;
  @ApiProperty({ example: 'python' }) language!: string;
  @ApiProperty({ description: 'The function to write, with its signature, in the language.', example: 'from typing import List\n\n\ndef twoSum(nums: List[int], target: int) -> List[int]:\n    pass\n' }) code!: string;
}

/** The code a user of a function problem starts from (GET /v1/problems/:id/template?language=go); as GET /v1/problems/:id, for who may see the problem. */
@Injectable()
export class GetProblemTemplate {
  constructor(
    private readonly store: ProblemStore,
    private readonly languages: LanguageCatalog,
  ) {}

  async execute(problemId: string, query: ProblemTemplateQuery, requester: Requester): Promise<ProblemTemplate> {
    assertCanSee(problemId, requester, await this.store.access(problemId));
    const version = await this.store.getVersion(problemId, query.version);
    if (!version) throw new ProblemNotFoundError(query.version ? `problem "${problemId}" has no version ${query.version}` : `problem "${problemId}" not found`);
    if (!this.languages.get(query.language)) {
      throw new ProblemRequestError({ field: 'language', message: `language "${query.language}" is not supported; supported: ${this.languages.ids().join(', ')}` });
    }
    if (!version.function) throw new ProblemRequestError(`problem "${problemId}" is a ${version.kind} problem: templates exist for function problems only`);
    try {
      return { problemId, version: version.version, language: query.language, code: starterCode(query.language, version.function) };
    } catch (error) {
      if (error instanceof UnsupportedFunctionLanguageError) throw new ProblemRequestError({ field: 'language', message: error.message });
      throw error;
    }
  }
}
