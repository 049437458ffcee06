import { ApiConfig } from './api.config';
import { ConfigValidationError, loadConfig } from './load-config';
import { SandboxConfig } from './sandbox.config';

describe('loadConfig', () => {
  it('uses defaults when variables are unset or empty', () => {
    const config = loadConfig(ApiConfig, { API_PORT: '' });
    expect(config.API_PORT).toBe(3000);
    expect(config.API_HOST).toBe('127.0.0.1');
  });

  it('converts variables to the declared types', () => {
    expect(loadConfig(ApiConfig, { API_PORT: '4100' }).API_PORT).toBe(4100);
    expect(loadConfig(SandboxConfig, { SANDBOX_RUNTIME: 'runsc' }).SANDBOX_RUNTIME).toBe('runsc');
  });

  it('names every bad variable and its value', () => {
    let error: unknown;
    try {
      loadConfig(ApiConfig, { API_PORT: 'eighty', API_BODY_LIMIT_BYTES: '5' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const message = (error as Error).message;
    expect(message).toContain('Invalid configuration (ApiConfig)');
    expect(message).toMatch(/API_PORT must be an integer number \(got "eighty"\)/);
    expect(message).toMatch(/API_BODY_LIMIT_BYTES must not be less than 1024 \(got "5"\)/);
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig(ApiConfig, {}))).toBe(true);
  });
});
