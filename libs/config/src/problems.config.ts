import { IsInt, IsOptional, IsString, Max, Min, ValidateBy, ValidationArguments } from 'class-validator';

/**
 * Bounds of problem packages (API side). A package over any bound is refused with a 400 (413 for an
 * upload over PROBLEM_MAX_UPLOAD_MB) naming the bound, never truncated.
 */
export class ProblemsConfig {
  /** Largest upload of a problem: a zip, or a JSON body on the problem routes. */
  @IsInt() @Min(1) @Max(4096)
  PROBLEM_MAX_UPLOAD_MB: number = 256;

  /** Largest single file of a package (a test input or answer, a checker). Redis caps one value at 512 MB. */
  @IsInt() @Min(1) @Max(512)
  @ValidateBy({
    name: 'notAbovePackage',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => Number(value) <= Number((args?.object as ProblemsConfig).PROBLEM_MAX_PACKAGE_MB),
      defaultMessage: () => 'PROBLEM_MAX_FILE_MB must not exceed PROBLEM_MAX_PACKAGE_MB',
    },
  })
  PROBLEM_MAX_FILE_MB: number = 128;

  /** All files of one package together, unpacked (what a zip may expand to). */
  @IsInt() @Min(1)
  PROBLEM_MAX_PACKAGE_MB: number = 1024;

  /** Files in one package (zip entries or `files` of a JSON body). */
  @IsInt() @Min(1) @Max(100000)
  PROBLEM_MAX_FILES: number = 5000;

  /** Tests of one problem version. */
  @IsInt() @Min(1) @Max(10000)
  PROBLEM_MAX_TESTS: number = 1000;

  /** Sample tests are shown to everyone (GET /v1/problems/:id): each file of one is at most this big. */
  @IsInt() @Min(1) @Max(1024)
  PROBLEM_MAX_SAMPLE_KB: number = 64;

  /**
   * Test data no problem references any more (its problems were deleted) is kept this long, so
   * submissions already queued against it can still be judged.
   */
  @IsInt() @Min(60)
  PROBLEM_UNREFERENCED_DATA_TTL_SECONDS: number = 24 * 3600;
}

/** The worker's disk cache of stored test data. */
export class TestDataCacheConfig {
  /** Where cached test data lives; empty = `<os tmpdir>/verdict-test-data/<WORKER_ID>`. One directory per worker. */
  @IsOptional() @IsString()
  TEST_DATA_CACHE_DIR: string = '';

  /** Upper bound of the cache on disk; the least recently used files go first. */
  @IsInt() @Min(1)
  TEST_DATA_CACHE_MAX_MB: number = 4096;
}
