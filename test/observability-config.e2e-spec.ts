import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { goToolPath } from './support/go-tools';
import { metricNames } from './support/promql-metric-names';
import { VerdictStack } from './support/verdict-stack';

/**
 * deploy/observability, checked as CI can without Prometheus or Grafana running: the Prometheus
 * config and alert rules by promtool (built from deploy/tools), including the rules' unit tests;
 * the Grafana dashboard's shape; and every metric the dashboard and the rules query against what a
 * real API and a real worker export after judging a submission.
 */

const OBSERVABILITY = join(__dirname, '..', 'deploy', 'observability');
const PROMETHEUS_YML = join(OBSERVABILITY, 'prometheus', 'prometheus.yml');
const ALERTS_YML = join(OBSERVABILITY, 'prometheus', 'alerts.yml');
const ALERTS_TEST_YML = join(OBSERVABILITY, 'prometheus', 'alerts.test.yml');
const DASHBOARD_JSON = join(OBSERVABILITY, 'grafana', 'verdict-dashboard.json');

/** Series Prometheus makes itself for every target, not exported by any process. */
const PROMETHEUS_OWN_SERIES = new Set(['up']);

function promtool(...args: string[]): Promise<string> {
  const bin = goToolPath('promtool');
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd: join(OBSERVABILITY, 'prometheus') }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error) reject(new Error(`promtool ${args.join(' ')} failed (${error.code ?? error.signal}):\n${output}`));
      else resolve(output);
    });
  });
}

interface AlertRule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function alertRules(): AlertRule[] {
  const file = parseYaml(readFileSync(ALERTS_YML, 'utf8')) as { groups: { name: string; rules: AlertRule[] }[] };
  return file.groups.flatMap((group) => group.rules);
}

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: { refId: string; expr: string; datasource?: { type?: string; uid?: string } }[];
  panels?: Panel[];
}

interface Dashboard {
  title: string;
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: string }[] };
}

const dashboard = (): Dashboard => JSON.parse(readFileSync(DASHBOARD_JSON, 'utf8'));

/** Every panel, rows' nested ones included. */
const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);

const dashboardExprs = (): string[] => allPanels(dashboard().panels).flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));

describe('Prometheus config and alert rules (promtool)', () => {
  it('promtool check config accepts prometheus.yml and the rule files it loads', async () => {
    expect(await promtool('check', 'config', PROMETHEUS_YML)).toMatch(/SUCCESS/);
  });

  it('promtool check rules accepts alerts.yml', async () => {
    expect(await promtool('check', 'rules', ALERTS_YML)).toMatch(/SUCCESS: \d+ rules found/);
  });

  it("promtool test rules: alerts.test.yml's cases pass", async () => {
    expect(await promtool('test', 'rules', ALERTS_TEST_YML)).toMatch(/SUCCESS/);
  });

  it('every alert has a severity, a summary and a description, and is tested both firing and quiet', () => {
    const tests = (parseYaml(readFileSync(ALERTS_TEST_YML, 'utf8')) as { tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[] }).tests;
    const cases = tests.flatMap((test) => test.alert_rule_test ?? []);
    const problems: string[] = [];
    for (const rule of alertRules()) {
      if (!['critical', 'warning'].includes(rule.labels?.severity ?? '')) problems.push(`${rule.alert}: severity is not critical or warning`);
      if (!rule.annotations?.summary || !rule.annotations?.description) problems.push(`${rule.alert}: summary or description missing`);
      const own = cases.filter((c) => c.alertname === rule.alert);
      if (!own.some((c) => (c.exp_alerts ?? []).length > 0)) problems.push(`${rule.alert}: no test shows it firing`);
      if (!own.some((c) => (c.exp_alerts ?? []).length === 0)) problems.push(`${rule.alert}: no test shows it quiet`);
    }
    expect(problems).toEqual([]);
  });

  it('the scrape jobs are the ones the rules name', () => {
    const config = parseYaml(readFileSync(PROMETHEUS_YML, 'utf8')) as { rule_files: string[]; scrape_configs: { job_name: string }[] };
    expect(config.rule_files).toEqual(['alerts.yml']);
    const jobs = config.scrape_configs.map((job) => job.job_name).sort();
    expect(jobs).toEqual(['verdict-api', 'verdict-webhook-deliverer', 'verdict-worker']);
    const named = alertRules().flatMap((rule) => [...rule.expr.matchAll(/job="([^"]+)"/g)].map((m) => m[1]));
    expect(named.filter((job) => !jobs.includes(job))).toEqual([]);
  });
});

describe('metric names in PromQL', () => {
  it.each([
    ['a bare selector', 'verdict_judge_waiting_jobs', ['verdict_judge_waiting_jobs']],
    ['label matchers are not names', 'up{job="verdict-worker", instance=~"judge-.*"} == 0', ['up']],
    [
      'histogram_quantile over a by clause, with a Grafana interval',
      'histogram_quantile(0.95, sum by (le, route) (rate(verdict_http_request_duration_seconds_bucket{route!="/x"}[$__rate_interval])))',
      ['verdict_http_request_duration_seconds_bucket'],
    ],
    ['a by clause after the aggregated expression', 'sum(rate(x_total[5m])) by (job, instance)', ['x_total']],
    ['without, and, a subquery', 'max without(instance) (deriv(a[10m:1m])) > 0 and max without(instance) (b) > 100', ['a', 'b']],
    ['vector matching keywords and their label lists', 'a / on(job) group_left(app, version) b unless ignoring(le) c', ['a', 'b', 'c']],
    ['a __name__ matcher', '{__name__="verdict_build_info", app="api"}', ['verdict_build_info']],
    ['string arguments are not names', 'label_replace(z, "dst", "$1", "src", "(.*)")', ['z']],
    ['count_values, topk, offset, @, bool, numbers', 'count_values("version", v) + topk(5, w offset 5m) > bool 1e-3 + y @ start() + Inf', ['v', 'w', 'y']],
    ['aggregation keywords in upper case', 'SUM BY (le) (rate(q_bucket[5m]))', ['q_bucket']],
    ['a Grafana ${variable} and a comment', 'increase(r_total[${__range}]) # not_a_metric\n', ['r_total']],
    ['a matcher value holding braces and commas', 's{route="/v1/{id},x"}', ['s']],
  ])('%s', (_what, expr, names) => {
    expect(metricNames(expr)).toEqual(names);
  });
});

describe('Grafana dashboard (verdict-dashboard.json)', () => {
  const board = dashboard();
  const panels = allPanels(board.panels);
  const queries = panels.filter((panel) => panel.type !== 'row');
  const variable = board.templating.list.find((v) => v.type === 'datasource');

  it('is a dashboard of a current Grafana with a Prometheus datasource variable', () => {
    expect(board.title).toBeTruthy();
    expect(board.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    // 39: Grafana 11.0; older ones would migrate it, but were never tried.
    expect(board.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(queries.length).toBeGreaterThan(10);
  });

  it('names its datasource through the variable only: no uid of one Grafana', () => {
    const ref = new RegExp(`^\\$(\\{${variable!.name}\\}|${variable!.name})$`);
    const problems: string[] = [];
    for (const panel of queries) {
      for (const ds of [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)]) {
        if (!ds || ds.type !== 'prometheus' || !ref.test(ds.uid ?? '')) problems.push(`panel ${panel.id} "${panel.title}": datasource ${JSON.stringify(ds)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every panel has a unique id, a place on the 24-column grid not taken by another, and queries', () => {
    const ids = panels.map((panel) => panel.id);
    expect(ids.every(Number.isInteger)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const problems: string[] = [];
    const cells = new Map<string, number>();
    for (const panel of panels) {
      const { x, y, w, h } = panel.gridPos ?? ({} as Panel['gridPos']);
      if (![x, y, w, h].every(Number.isInteger) || x < 0 || y < 0 || w < 1 || h < 1 || x + w > 24) {
        problems.push(`panel ${panel.id} "${panel.title}": gridPos ${JSON.stringify(panel.gridPos)}`);
        continue;
      }
      for (let row = y; row < y + h; row++) {
        for (let col = x; col < x + w; col++) {
          const other = cells.get(`${row},${col}`);
          if (other !== undefined) problems.push(`panel ${panel.id} overlaps panel ${other} at row ${row}, column ${col}`);
          cells.set(`${row},${col}`, panel.id);
        }
      }
    }
    for (const panel of queries) {
      const targets = panel.targets ?? [];
      if (targets.length === 0) problems.push(`panel ${panel.id} "${panel.title}": no targets`);
      if (new Set(targets.map((t) => t.refId)).size !== targets.length) problems.push(`panel ${panel.id}: refIds not unique`);
      for (const target of targets) if (!target.expr?.trim()) problems.push(`panel ${panel.id} target ${target.refId}: no expr`);
    }
    expect([...new Set(problems)]).toEqual([]);
  });
});

/** Every sample name a scrape can hold, from its families' TYPE lines (so a labelled counter nobody incremented yet counts) and its samples. */
function exportedNames(exposition: string): { names: Set<string>; samples: Set<string> } {
  const names = new Set<string>();
  const samples = new Set<string>();
  for (const line of exposition.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      const [, name, kind] = type;
      if (kind === 'histogram') ['_bucket', '_sum', '_count'].forEach((suffix) => names.add(name + suffix));
      else if (kind === 'summary') ['', '_sum', '_count'].forEach((suffix) => names.add(name + suffix));
      else names.add(name);
    } else if (line && !line.startsWith('#')) {
      const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
      if (sample) {
        names.add(sample[1]);
        samples.add(sample[1]);
      }
    }
  }
  return { names, samples };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${body.slice(0, 500)}`);
  return body;
}

describe('the dashboard and the rules query only metrics the processes export', () => {
  let stack: VerdictStack;
  let workerMetrics: string;

  beforeAll(async () => {
    const port = await freePort();
    stack = await new VerdictStack({ WORKER_HTTP_HOST: '127.0.0.1', WORKER_HTTP_PORT: String(port) }).start();
    workerMetrics = `http://127.0.0.1:${port}/metrics`;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('after one judging, every metric name in every query is in the API\'s or the worker\'s /metrics', async () => {
    const view = await stack.judge({ language: 'python', source: 'print(input())\n', tests: [{ input: 'ok\n', expectedOutput: 'ok\n' }] });
    expect(view).toMatchObject({ status: 'completed', verdict: 'AC' });

    const api = exportedNames(await scrape(`${stack.baseUrl}/metrics`));
    const worker = exportedNames(await scrape(workerMetrics));
    const exported = new Set([...api.names, ...worker.names, ...PROMETHEUS_OWN_SERIES]);

    const queried = new Map<string, string[]>();
    const note = (expr: string, where: string) => {
      for (const name of metricNames(expr)) queried.set(name, [...(queried.get(name) ?? []), where]);
    };
    for (const panel of allPanels(dashboard().panels)) for (const target of panel.targets ?? []) note(target.expr, `dashboard panel "${panel.title}"`);
    for (const rule of alertRules()) note(rule.expr, `alert ${rule.alert}`);

    const missing = [...queried].filter(([name]) => !exported.has(name)).map(([name, where]) => `${name} (${[...new Set(where)].join('; ')})`);
    expect(missing).toEqual([]);
    // Not a vacuous comparison: the queries name the catalog's metrics.
    expect(queried.size).toBeGreaterThan(25);

    // max without(instance) is for the queue-level gauges every API replica reports alike: each
    // name queried that way must be the API's, or the max would hide differing per-process values.
    const maxed = [...queried.keys()].filter((name) =>
      [...dashboardExprs(), ...alertRules().map((rule) => rule.expr)].some((expr) => new RegExp(`max without\\s*\\(instance\\)\\s*\\((?:deriv\\()?${name}\\b`).test(expr)),
    );
    expect(maxed.length).toBeGreaterThan(5);
    expect(maxed.filter((name) => !api.names.has(name) || worker.names.has(name))).toEqual([]);

    // The histograms one judging feeds have series, so the dashboard's quantiles have data.
    expect([...api.samples]).toEqual(expect.arrayContaining(['verdict_submission_wait_seconds_bucket', 'verdict_http_request_duration_seconds_bucket', 'verdict_build_info']));
    expect([...worker.samples]).toEqual(expect.arrayContaining(['verdict_judge_duration_seconds_bucket', 'verdict_tests_judged_total', 'verdict_build_info']));
  });
});
