import { Injectable } from '@nestjs/common';
import { ProblemsConfig, SubmissionPolicyConfig } from '@verdict/config';
import { validateSignature, validateValue } from '@verdict/function-problems';
import { LanguageCatalog } from '@verdict/languages';
import { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { buildJudgePlan } from './judge-plan';
import { PackageBounds, ProblemPackage, problemPackageFromJson, problemPackageFromZip } from './problem-package';
import { ProblemDraft } from './problem-version';
import { readUploadBody } from './upload-body';
import { ProblemPackageRules, validateProblemPackage } from './validate-problem-package';

/** How a package arrives over HTTP: the JSON form, or a zip still being received. */
export type ProblemUpload = { json: unknown } | { zip: Readable & { headers: IncomingHttpHeaders } };

const MB = 1024 * 1024;

/**
 * This deployment's rules for problem packages (PROBLEM_MAX_*, the submission policy's limit bounds,
 * the language catalog): reads an upload and turns it into a draft version or an
 * InvalidProblemPackageError listing every problem.
 */
@Injectable()
export class ProblemPackagePolicy {
  constructor(
    private readonly config: ProblemsConfig,
    private readonly submissionPolicy: SubmissionPolicyConfig,
    private readonly languages: LanguageCatalog,
  ) {}

  get bounds(): PackageBounds {
    return { maxFileBytes: this.config.PROBLEM_MAX_FILE_MB * MB, maxTotalBytes: this.config.PROBLEM_MAX_PACKAGE_MB * MB, maxFiles: this.config.PROBLEM_MAX_FILES };
  }

  rules(): ProblemPackageRules {
    return {
      languages: this.languages.ids(),
      programLanguages: {
        checker: this.languages.list().filter((l) => l.problemProgram).map((l) => l.id),
        interactor: this.languages.list().filter((l) => l.problemProgram?.selfContained).map((l) => l.id),
      },
      limits: this.submissionPolicy.limitBounds(),
      maxTests: this.config.PROBLEM_MAX_TESTS,
      maxSampleBytes: this.config.PROBLEM_MAX_SAMPLE_KB * 1024,
      functionValues: { validateSignature: (signature) => validateSignature(signature), validateValue },
    };
  }

  async read(upload: ProblemUpload): Promise<ProblemPackage> {
    if ('json' in upload) return problemPackageFromJson(upload.json, this.bounds);
    return problemPackageFromZip(await readUploadBody(upload.zip, this.config.PROBLEM_MAX_UPLOAD_MB * MB), this.bounds);
  }

  /** The draft and the data it references, checked down to the judge plans it will produce. */
  accept(pkg: ProblemPackage): { draft: ProblemDraft; data: Map<string, Buffer> } {
    const accepted = validateProblemPackage(pkg, this.rules());
    buildJudgePlan(accepted.draft);
    if (accepted.draft.tests.some((t) => t.pretest)) buildJudgePlan(accepted.draft, { pretestsOnly: true });
    return accepted;
  }
}
