import { getQueueToken } from '@nestjs/bullmq';
import { INestApplication } from '@nestjs/common';
import { DECLARED_QUEUES } from '@verdict/job-queues';
import { queueDashboard } from '@verdict/queue-dashboard';
import { ApiKeyAuthenticator } from '@verdict/tenants';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { HttpErrorsFilter } from './http-errors.filter';

/** Where the queue dashboard (bull-board) is served: outside /v1, not part of the API's contract. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Mounts the queue dashboard on the API's Fastify instance, after its body parsers: every declared
 * queue, through the Queue (and connection) the API already holds for producing to it; admins
 * only, by the API's own authenticator; refusals as the API's problem+json.
 */
export function mountQueueDashboard(app: INestApplication, fastify: FastifyInstance): void {
  const queues = DECLARED_QUEUES.map((declaration) => {
    try {
      return app.get<Queue>(getQueueToken(declaration.name), { strict: false });
    } catch {
      throw new Error(`the queue dashboard shows every declared queue, and the API holds no Queue of "${declaration.name}" (JobQueuesModule.forProducers)`);
    }
  });
  const errors = new HttpErrorsFilter();
  void fastify.register(
    queueDashboard({
      basePath: QUEUE_DASHBOARD_PATH,
      queues,
      authenticator: app.get(ApiKeyAuthenticator),
      sendError: (error, request, reply) => errors.respond(error, request, reply),
    }),
    { prefix: QUEUE_DASHBOARD_PATH },
  );
}
