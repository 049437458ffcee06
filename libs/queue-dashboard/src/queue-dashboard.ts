import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { ApiKeyAuthenticator } from '@verdict/tenants';
import { Queue } from 'bullmq';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DashboardRefusal, admitToDashboard } from './dashboard-access';

export interface QueueDashboardOptions {
  /** The path it is mounted at, which its pages and API calls are built on: register the plugin with this as its prefix. */
  basePath: string;
  /** The BullMQ queues to show, each read-only. */
  queues: readonly Queue[];
  /** Checks the admin key (the API's ApiKeyAuthenticator: the same keys, cache and revocation as /v1/admin). */
  authenticator: Pick<ApiKeyAuthenticator, 'authenticate'>;
  /**
   * Answers a request the gate refused (an `AccessError`: 401 or 403; WWW-Authenticate is set
   * already) or could not decide (Redis unreachable), the app's way: the API's problem+json.
   */
  sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): void;
}

/**
 * bull-board's UI and its JSON API, as a Fastify plugin: every route of it, static assets and
 * unknown paths under it included, behind an admin API key (`admitToDashboard`). Every queue is
 * read-only (bull-board's readOnlyMode: no retry, clean, pause, promote, remove or add; those
 * answer 405), so the dashboard cannot change what the reconcilers and fair dispatcher rely on;
 * operators act through the API or redis-cli. Its own answers (and errors past the gate) are
 * bull-board's JSON, not the API's problem+json.
 */
export function queueDashboard(options: QueueDashboardOptions): FastifyPluginAsync {
  const board = new FastifyAdapter();
  board.setBasePath(options.basePath);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    // @bull-board/fastify 9.10.1 declares its adapter against its own copy of @bull-board/api
    // (9.10.1), whose classes TypeScript holds apart from 9.10.2's by their private fields; at run
    // time the adapter only serves the routes, views and assets this board hands it.
    serverAdapter: board as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'Verdict queues' } },
  });
  return async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      try {
        await admitToDashboard(options.authenticator, request.headers.authorization, request.url);
      } catch (error) {
        if (error instanceof DashboardRefusal) {
          if (error.challenge) reply.header('WWW-Authenticate', error.challenge);
          options.sendError(error.error, request, reply);
        } else {
          options.sendError(error, request, reply);
        }
        return reply;
      }
    });
    // Unknown paths under the prefix are answered here, behind the same gate, not by the app's 404.
    scope.setNotFoundHandler((request, reply) => {
      reply.status(404).send({ error: { key: 'ERRORS.NOT_FOUND' }, message: `no such page or API route of the queue dashboard: ${request.method} ${request.url.split('?')[0]}` });
    });
    await scope.register(board.registerPlugin());
  };
}
