import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { JUDGE_LANES, SubmissionView } from '@verdict/contracts';
import { FairDispatcher, FairQueue, JUDGE_QUEUE } from '@verdict/job-queues';
import { OWNER_LABEL, SandboxPool } from '@verdict/sandbox';
import { Queue } from 'bullmq';
import Docker from 'dockerode';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { startApi } from '../../apps/api/src/api.bootstrap';
import { startWorker } from '../../apps/worker/src/worker.bootstrap';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The tenant every stack's requests act for, unless a test makes others. */
export const TENANT = 'e2e';

/**
 * A real API and a real worker in this process, on real Redis and Docker, isolated from every other
 * run by their own key prefix and worker id. Tests talk to the API over HTTP like any client.
 */
/** An API answer as the tests read it: status, headers, and the JSON body. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

export class VerdictStack {
  api!: INestApplication;
  workers: INestApplicationContext[] = [];
  /** What workerSlots() registered, each withdrawn on stop(). */
  private readonly slotHolders: (() => Promise<void>)[] = [];
  baseUrl = '';
  readonly redis = new Redis(REDIS_URL);
  readonly docker = new Docker();
  readonly env: NodeJS.ProcessEnv;
  /** The API's ADMIN_API_KEY in this run. */
  readonly adminKey = `vk_${randomBytes(4).toString('hex')}_${randomBytes(32).toString('base64url')}`;
  /** A key of this run's tenant (TENANT), with every tenant scope: what `post` and `get` send. */
  apiKey = '';

  constructor(overrides: NodeJS.ProcessEnv = {}) {
    const run = `e2e-${randomBytes(4).toString('hex')}`;
    this.env = {
      ...process.env,
      ADMIN_API_KEY: this.adminKey,
      // Tests poll results every 25 ms: far past a client's default budget. Rate limits have their own test.
      RATE_LIMIT_REQUESTS: '1000000',
      REDIS_URL,
      VERDICT_KEY_PREFIX: run,
      WORKER_ID: run,
      RESULT_STREAM_CONSUMER: `${run}-api`,
      API_PORT: '0',
      // Any free port: several stacks (and other runs on this machine) may have workers and deliverers at once.
      WORKER_HTTP_PORT: '0',
      DELIVERER_HTTP_PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
      WORKER_CONCURRENCY: '2',
      JOB_ATTEMPTS: '2',
      JOB_BACKOFF_MS: '200',
      RESULT_STREAM_CLAIM_INTERVAL_MS: '500',
      RESULT_STREAM_CLAIM_IDLE_MS: '1000',
      ...overrides,
    };
  }

  get prefix(): string {
    return `{${this.env.VERDICT_KEY_PREFIX}}`;
  }

  async start({ worker = true } = {}): Promise<this> {
    await this.startApi();
    if (worker) await this.startWorker();
    return this;
  }

  /** (Re)starts the API on the port it had, if it had one. */
  async startApi(): Promise<void> {
    const port = this.baseUrl ? new URL(this.baseUrl).port : this.env.API_PORT;
    this.api = await startApi({ ...this.env, API_PORT: port });
    this.baseUrl = (await this.api.getUrl()).replace('[::1]', '127.0.0.1');
    if (!this.apiKey) this.apiKey = await this.createTenantKey(TENANT, ['submit', 'read', 'problems:write']);
  }

  /** Creates the tenant (if new) and a key of it with `scopes`, through the admin API. */
  async createTenantKey(tenantId: string, scopes: string[]): Promise<string> {
    const admin = { authorization: `Bearer ${this.adminKey}` };
    const tenant = await this.post('/v1/admin/tenants', { id: tenantId, name: `e2e tenant ${tenantId}` }, admin);
    if (tenant.status !== 201 && tenant.status !== 409) throw new Error(`creating tenant ${tenantId}: ${tenant.status} ${JSON.stringify(tenant.body)}`);
    const created = await this.post(`/v1/admin/tenants/${tenantId}/keys`, { scopes, name: 'e2e' }, admin);
    if (created.status !== 201) throw new Error(`creating a key of ${tenantId}: ${created.status} ${JSON.stringify(created.body)}`);
    return created.body.key;
  }

  /** The secret that signs a tenant's webhooks now (the newest of its webhook secrets). */
  async webhookSecret(tenantId = TENANT): Promise<string> {
    const tenant = await this.get(`/v1/admin/tenants/${tenantId}`, { authorization: `Bearer ${this.adminKey}` });
    if (tenant.status !== 200) throw new Error(`reading tenant ${tenantId}: ${tenant.status} ${JSON.stringify(tenant.body)}`);
    return tenant.body.webhookSecrets[0].secret;
  }

  /** The Authorization header of this run's tenant key. */
  authHeaders(): Record<string, string> {
    return { authorization: `Bearer ${this.apiKey}` };
  }

  async stopApi(): Promise<void> {
    await this.api.close();
  }

  async startWorker(overrides: NodeJS.ProcessEnv = {}): Promise<INestApplicationContext> {
    const worker = await startWorker({ ...this.env, ...overrides });
    this.workers.push(worker);
    return worker;
  }

  async stop(): Promise<void> {
    for (const release of this.slotHolders.splice(0)) await release();
    await Promise.all(this.workers.map((w) => w.close()));
    await this.api?.close();
    const keys = await this.redis.keys(`${this.prefix}*`);
    if (keys.length) await this.redis.del(...keys);
    this.redis.disconnect();
  }

  /**
   * Counts `slots` worker slots for the judge queue as a worker does, so the API hands jobs to
   * BullMQ for tests whose consumers are plain BullMQ workers (or none, to inspect jobs there);
   * withdrawn on stop().
   */
  async workerSlots(slots: number): Promise<void> {
    const queue = this.queue();
    const dispatcher = new FairDispatcher(new FairQueue(queue, JUDGE_LANES), queue, { weights: {}, lookahead: 0 }, { intervalMs: 200 });
    await dispatcher.serve(slots);
    this.slotHolders.push(async () => {
      await dispatcher.leave();
      await queue.close();
    });
  }

  /** A BullMQ handle on the same queue the API feeds, for tests that must inject jobs directly. */
  queue(): Queue {
    // Connection options, not a client: a Queue closes only connections it created itself.
    const { hostname, port } = new URL(REDIS_URL);
    return new Queue(JUDGE_QUEUE.name, { connection: { host: hostname, port: Number(port || 6379), maxRetriesPerRequest: null }, prefix: this.prefix });
  }

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.send('POST', path, body, headers);
  }

  async put(path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.send('PUT', path, body, headers);
  }

  async delete(path: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.send('DELETE', path, undefined, headers);
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.send('GET', path, undefined, headers);
  }

  private async send(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<ApiResponse> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...this.authHeaders(), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  async submit(body: unknown): Promise<string> {
    const response = await this.post('/v1/submissions', body);
    if (response.status !== 202) throw new Error(`submission rejected: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.id;
  }

  /** Polls GET until the submission is completed or failed; `seen` collects every status observed. */
  async waitForResult(id: string, { timeoutMs = 120000, seen }: { timeoutMs?: number; seen?: Set<string> } = {}): Promise<SubmissionView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { status, body } = await this.get(`/v1/submissions/${id}`);
      if (status !== 200) throw new Error(`GET ${id}: ${status} ${JSON.stringify(body)}`);
      seen?.add(body.status);
      if (body.status === 'completed' || body.status === 'failed') return body;
      if (Date.now() > deadline) throw new Error(`submission ${id} still ${body.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async judge(body: unknown): Promise<SubmissionView> {
    return this.waitForResult(await this.submit(body));
  }

  /**
   * Sandbox containers of this run's workers that still exist, other than the pre-started ones
   * waiting in a live worker's pool (those have run nothing). Removal is asynchronous, and on a
   * loaded machine dockerd may show a container "Removal In Progress" for seconds: wait for it.
   */
  async leftoverContainers(waitMs = 30000): Promise<Docker.ContainerInfo[]> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const idle = new Set(this.workers.flatMap((worker) => worker.get(SandboxPool).idleContainerIds()));
      const all = await this.docker.listContainers({ all: true, filters: { label: [`${OWNER_LABEL}=${this.env.WORKER_ID}`] } });
      const left = all.filter((container) => !idle.has(container.Id));
      if (left.length === 0 || Date.now() > deadline) return left;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
