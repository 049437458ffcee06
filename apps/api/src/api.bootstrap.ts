import { BadRequestException, INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ApiConfig, ProblemsConfig, RequestBodyConfig } from '@verdict/config';
import { describeValidationErrors } from '@verdict/contracts';
import { json } from 'express';
import { Logger } from 'nestjs-pino';
import { ApiModule } from './api.module';
import { HttpErrorsFilter } from './http-errors.filter';
import { rejectDeeplyNestedJson } from './json-depth';

/** Creates and starts the API; shared by main.ts and the end-to-end tests. */
export async function startApi(env?: NodeJS.ProcessEnv): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(env), { bufferLogs: true, bodyParser: false, abortOnError: false });
  const config = app.get(ApiConfig);
  app.useLogger(app.get(Logger));
  // Problem packages carry their tests (inputs of 50 MB and more): a bound of their own, on their routes only.
  app.use('/v1/problems', json({ limit: app.get(ProblemsConfig).PROBLEM_MAX_UPLOAD_MB * 1024 * 1024 }));
  app.useBodyParser('json', { limit: config.API_BODY_LIMIT_BYTES });
  // After both parsers, before validation walks the body recursively.
  app.use(rejectDeeplyNestedJson(app.get(RequestBodyConfig).API_MAX_JSON_DEPTH));
  app.useGlobalFilters(new HttpErrorsFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new BadRequestException(describeValidationErrors(errors)),
    }),
  );
  await app.listen(config.API_PORT, config.API_HOST);
  return app;
}
