import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { ApiConfig, ProblemsConfig, RequestBodyConfig } from '@verdict/config';
import { RequestValidationError } from '@verdict/contracts';
import { json } from 'express';
import { Logger } from 'nestjs-pino';
import { ApiModule } from './api.module';
import { HttpErrorsFilter } from './http-errors.filter';
import { markMalformedJson, requireJsonBodies } from './json-bodies';
import { rejectDeeplyNestedJson } from './json-depth';
import { openApiDocument } from './openapi';

/** Creates and starts the API; shared by main.ts and the end-to-end tests. */
export async function startApi(env?: NodeJS.ProcessEnv): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(env), { bufferLogs: true, bodyParser: false, abortOnError: false });
  const config = app.get(ApiConfig);
  // Answers are fresh JSON each time: hashing every body for an ETag nobody revalidates is wasted work.
  app.set('etag', false);
  app.disable('x-powered-by');
  app.useLogger(app.get(Logger));
  // Problem packages may be zips too: their controller picks the form and refuses other media types.
  app.use(requireJsonBodies({ except: ['/v1/problems'] }));
  // Problem packages carry their tests (inputs of 50 MB and more): a bound of their own, on their routes only.
  app.use('/v1/problems', json({ limit: app.get(ProblemsConfig).PROBLEM_MAX_UPLOAD_MB * 1024 * 1024 }));
  app.useBodyParser('json', { limit: config.API_BODY_LIMIT_BYTES });
  app.use(markMalformedJson);
  // After both parsers, before validation walks the body recursively.
  app.use(rejectDeeplyNestedJson(app.get(RequestBodyConfig).API_MAX_JSON_DEPTH));
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
