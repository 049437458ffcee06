import { ConfigValidationError, ProblemsConfig, TestDataCacheConfig, loadConfig } from '@verdict/config';

describe('problem settings', () => {
  it('have defaults that allow 50 MB inputs', () => {
    const config = loadConfig(ProblemsConfig, {});
    expect(config.PROBLEM_MAX_FILE_MB).toBeGreaterThanOrEqual(50);
    expect(config.PROBLEM_MAX_UPLOAD_MB).toBeGreaterThanOrEqual(50);
    expect(loadConfig(TestDataCacheConfig, {}).TEST_DATA_CACHE_MAX_MB).toBeGreaterThanOrEqual(50);
  });

  it('are checked at startup, naming the variable and its value', () => {
    expect(() => loadConfig(ProblemsConfig, { PROBLEM_MAX_TESTS: '0' })).toThrow(/PROBLEM_MAX_TESTS must not be less than 1 \(got "0"\)/);
    expect(() => loadConfig(ProblemsConfig, { PROBLEM_MAX_FILE_MB: '1024' })).toThrow(ConfigValidationError);
    expect(() => loadConfig(ProblemsConfig, { PROBLEM_MAX_FILE_MB: '200', PROBLEM_MAX_PACKAGE_MB: '100' })).toThrow(
      /PROBLEM_MAX_FILE_MB must not exceed PROBLEM_MAX_PACKAGE_MB \(got "200"\)/,
    );
    expect(() => loadConfig(TestDataCacheConfig, { TEST_DATA_CACHE_MAX_MB: 'lots' })).toThrow(/TEST_DATA_CACHE_MAX_MB must be an integer number/);
  });
});
