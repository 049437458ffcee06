import { request } from 'node:http';
import { Exposition } from '../libs/metrics/src/exposition.spec-support';
import { API_MAIN, AppProcess, freePort, until } from './support/processes';
import { VerdictStack } from './support/verdict-stack';

/** A GET on a connection of its own: node:cluster hands each new connection to the next API process. */
function get(url: string): Promise<{ status: number; contentType: string; text: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, contentType: String(response.headers['content-type']), text }));
    })
      .on('error', reject)
      .end();
  });
}

/**
 * API_PROCESSES=2 through the built API (dist/apps/api/main.js): two processes on one port, and a
 * scraper that cannot choose which one it reaches. Each answers GET /metrics for both, combined by
 * the supervising process: requests summed, the queue gauges (one fact read by each) once.
 */
describe('metrics of several API processes on one port', () => {
  // The deployment's Redis, its key prefix and registered worker slots; no API or worker of its own.
  const stack = new VerdictStack();
  let api: AppProcess;
  let base = '';

  beforeAll(async () => {
    await stack.workerSlots(3);
    base = `http://127.0.0.1:${await freePort()}`;
    api = new AppProcess(API_MAIN, { ...stack.env, API_HOST: '127.0.0.1', API_PORT: new URL(base).port, API_PROCESSES: '2', LOG_LEVEL: 'warn' });
    await until(async () => (await get(`${base}/v1/health`)).status === 200, { child: api.child, what: () => `the API answering on ${base}\n${api.output}` });
  });
  afterAll(async () => {
    await api?.stop();
    await stack.stop();
  });

  const scrape = async () => {
    const { status, contentType, text } = await get(`${base}/metrics`);
    expect(status).toBe(200);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    return new Exposition(text);
  };
  const healthChecks = (exposition: Exposition) => exposition.value('verdict_http_requests_total', { method: 'GET', route: '/v1/health', status: '200' });

  it("answers every scrape, whichever process it reaches, with both processes' requests, and the shared gauges once", async () => {
    const before = healthChecks(await scrape());
    for (let i = 0; i < 8; i++) expect((await get(`${base}/v1/health`)).status).toBe(200);
    for (let i = 0; i < 4; i++) {
      const exposition = await scrape();
      expect(healthChecks(exposition) - before).toBe(8);
      expect(exposition.value('verdict_judge_worker_slots')).toBe(3);
      expect(exposition.matching('verdict_build_info')).toEqual([expect.objectContaining({ labels: expect.objectContaining({ app: 'api' }), value: 1 })]);
      expect(exposition.families.has('process_cpu_seconds_total')).toBe(true);
    }
  });
});
