import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { FieldError, ProblemDetails } from '@verdict/contracts';
import { ApiModule } from './api.module';

/** The OpenAPI document of the API, from its controllers and the DTOs they name. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Verdict')
    .setDescription(
      'A distributed judging backend: send code with tests, or against a problem uploaded once, and read its verdict, score, time and memory. ' +
        'Every error is application/problem+json (RFC 9457): a type URI per kind of problem, and for invalid requests every field at fault in `errors`. ' +
        'Every operation but health needs an API key with its scopes: `Authorization: Bearer vk_...` (an admin makes keys with /v1/admin).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key, vk_<prefix>_<secret>' })
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetails, FieldError] });
}

/**
 * The document without a running API: Nest's preview mode resolves the modules and controllers but
 * instantiates no provider, so nothing connects to Redis. For docs/openapi.json and its check
 * (test/openapi.e2e-spec.ts, which `npm run openapi:export` runs to write the file).
 */
export async function offlineOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(ApiModule.forRoot({}), new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
  try {
    return openApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The document as docs/openapi.json holds it. */
export function openApiFileContent(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
