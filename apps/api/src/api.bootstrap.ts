import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { ApiConfig, ProblemsConfig, RequestBodyConfig } from '@verdict/config';
import { RequestValidationError, memoizeValidationMetadata } from '@verdict/contracts';
import { HttpMetrics, MetricsRegistry } from '@verdict/metrics';
import { nameRequestSpansByRoute } from '@verdict/telemetry';
import cluster from 'node:cluster';
import { Logger } from 'nestjs-pino';
import { ApiModule } from './api.module';
import { HttpErrorsFilter } from './http-errors.filter';
import { openApiDocument } from './openapi';
import { PACKAGE_MEDIA_REFUSAL, ZIP_MEDIA_TYPES } from './problems.controller';
import { mountQueueDashboard } from './queue-dashboard';
import { registerRequestBodies } from './request-bodies';

/** Creates and starts the API; shared by main.ts and the end-to-end tests. */
export async function startApi(env?: NodeJS.ProcessEnv): Promise<INestApplication> {
  memoizeValidationMetadata();
  // Fastify rather than Express: it took about a third less CPU per accepted submission.
  const adapter = new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true } });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(env), adapter, { bufferLogs: true, bodyParser: false, abortOnError: false });
  const config = app.get(ApiConfig);
  app.useLogger(app.get(Logger));
  // Before the routes are registered (on listen): every request is counted by its route template.
  app.get(HttpMetrics).instrument(app.getHttpAdapter().getInstance());
  nameRequestSpansByRoute(app.getHttpAdapter().getInstance());
  // One of API_PROCESSES on one port (api-processes.ts): a scrape of it answers for all of them.
  if (cluster.isWorker) app.get(MetricsRegistry).combineAcrossCluster();
  registerRequestBodies(app.getHttpAdapter().getInstance(), {
    jsonLimitBytes: config.API_BODY_LIMIT_BYTES,
    maxJsonDepth: app.get(RequestBodyConfig).API_MAX_JSON_DEPTH,
    uploads: { prefix: '/v1/problems', limitBytes: app.get(ProblemsConfig).PROBLEM_MAX_UPLOAD_MB * 1024 * 1024, streamedMediaTypes: ZIP_MEDIA_TYPES, refusal: PACKAGE_MEDIA_REFUSAL },
  });
  // After the body parsers, which its plugin inherits: bull-board at /admin/queues, admins only.
  mountQueueDashboard(app, app.getHttpAdapter().getInstance());
  app.useGlobalFilters(new HttpErrorsFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new RequestValidationError(errors),
    }),
  );
  // Swagger UI at /docs, the document at /openapi.json (docs/openapi.json is its committed copy).
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
  await app.listen(config.API_PORT, config.API_HOST);
  return app;
}
