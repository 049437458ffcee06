import { BadRequestException, INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ApiConfig } from '@verdict/config';
import { describeValidationErrors } from '@verdict/contracts';
import { Logger } from 'nestjs-pino';
import { ApiModule } from './api.module';
import { HttpErrorsFilter } from './http-errors.filter';

/** Creates and starts the API; shared by main.ts and the end-to-end tests. */
export async function startApi(env?: NodeJS.ProcessEnv): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(env), { bufferLogs: true, bodyParser: false, abortOnError: false });
  const config = app.get(ApiConfig);
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: config.API_BODY_LIMIT_BYTES });
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
