import { applyTracingDefaults } from './tracing-defaults';

describe('applyTracingDefaults', () => {
  it('exports traces only, names the service and leaves Redis commands untraced when nothing is set', () => {
    const env: NodeJS.ProcessEnv = {};
    applyTracingDefaults(env, 'verdict-worker');
    expect(env).toEqual({
      OTEL_SERVICE_NAME: 'verdict-worker',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_BSP_MAX_QUEUE_SIZE: '32768',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'ioredis',
    });
  });

  it("keeps every setting the operator made, an empty one included (Redis spans back on)", () => {
    const env: NodeJS.ProcessEnv = { OTEL_SERVICE_NAME: 'judge-eu-1', OTEL_METRICS_EXPORTER: 'otlp', OTEL_BSP_MAX_QUEUE_SIZE: '2048', OTEL_NODE_DISABLED_INSTRUMENTATIONS: '' };
    applyTracingDefaults(env, 'verdict-worker');
    expect(env).toEqual({
      OTEL_SERVICE_NAME: 'judge-eu-1',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_BSP_MAX_QUEUE_SIZE: '2048',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: '',
    });
  });
});
