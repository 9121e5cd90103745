/**
 * The exposition as Prometheus itself sees it: promtool's linter, a real Prometheus scraping the server
 * (with the bearer token, in the OpenMetrics format it asks for), and the example alerting rules checked
 * and unit-tested by promtool. The same against the real daemon is in test/e2e/serve.test.ts.
 */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepSummary } from '../../src/core/events.js';
import { MetricsState, type SiteObservation } from '../../src/serve/metrics/state.js';
import { useCleanup } from '../helpers/cleanup.js';
import { repoRoot } from '../helpers/processes.js';
import { promtool, startPrometheus } from '../helpers/prometheus.js';
import { sampleModel } from './fixtures.js';
import { useStatusServer } from './harness.js';

const start = useStatusServer();
const { defer } = useCleanup();

const SWEEP: SweepSummary = {
  id: 1,
  startedAt: new Date(Date.now() - 1500).toISOString(),
  finishedAt: new Date().toISOString(),
  sites: 2,
  checked: 2,
  up: 1,
  down: 1,
  outcome: 'ok',
  aborted: false,
  skippedTicks: 0,
};

/** A metrics state after one sweep: `shop` up (with a certificate), `api` down on a timeout. */
function fedState(): MetricsState {
  const state = new MetricsState();
  const shop = { id: 'shop', url: 'https://shop.example.com/', group: 'Public' };
  const api = { id: 'api', url: 'https://api.example.com/health', group: null };
  state.setSites([shop, api]);
  const observations: SiteObservation[] = [
    {
      site: shop,
      state: 'up',
      check: { kind: 'ok', timings: { dnsMs: 2, connectMs: 3, tlsMs: 9, ttfbMs: 40, totalMs: 55 } },
      certExpiresAt: Date.now() + 30 * 86_400_000,
    },
    {
      site: api,
      state: 'down',
      check: {
        kind: 'timeout',
        timings: { dnsMs: 2, connectMs: null, tlsMs: null, ttfbMs: null, totalMs: 10_000 },
      },
    },
  ];
  state.observeSweep(SWEEP, observations);
  state.observeNotification('ops', 'sent', 2);
  state.setOutbox({ ops: 0 });
  return state;
}

describe('metrics for Prometheus', () => {
  it('promtool check metrics accepts the exposition, with the process metrics', async () => {
    const { createRegistries } = await import('../../src/serve/metrics/registry.js');
    const { body } = await createRegistries(fedState(), true).expose(undefined);
    const lint = promtool(['check', 'metrics'], body);
    expect(lint.output).toBe('');
    expect(lint.code).toBe(0);
    expect(body).toContain('uptime_squirrel_process_cpu_seconds_total');
  });

  it('a real Prometheus scrapes /metrics with the token and its API returns the sites’ up values; without the token it is refused', async () => {
    const token = 'prom-token-5d1c';
    const service = await start(sampleModel(), { token, state: fedState() });
    const address = `127.0.0.1:${service.server.address.port}`;
    const prometheus = await startPrometheus([
      { job: 'uptime-squirrel', address, bearerToken: token },
      { job: 'no-token', address },
    ]);
    defer(prometheus.stop);

    let up: { metric: Record<string, string>; value: number }[] = [];
    let targets = await prometheus.targets();
    const until = Date.now() + 20_000;
    const settled = () => up.length === 2 && targets.every((t) => t.health !== 'unknown');
    while (Date.now() < until && !settled()) {
      await new Promise((r) => setTimeout(r, 250));
      up = await prometheus.query('uptime_squirrel_site_up');
      targets = await prometheus.targets();
    }
    expect(settled(), JSON.stringify({ up, targets })).toBe(true);
    const byJob = Object.fromEntries(targets.map((t) => [t.labels.job, t]));
    expect(byJob['uptime-squirrel']).toMatchObject({ health: 'up', lastError: '' });
    expect(byJob['no-token']?.health).toBe('down');
    expect(byJob['no-token']?.lastError).toMatch(/401/);
    expect(up.map((s) => [s.metric.site, s.metric.url, s.metric.group ?? '', s.value]).sort()).toEqual([
      ['api', 'https://api.example.com/health', '', 0],
      ['shop', 'https://shop.example.com/', 'Public', 1],
    ]);
    // Counters as OpenMetrics named them, which is how Prometheus asked for them.
    const checks = await prometheus.query('uptime_squirrel_site_checks_total{kind="timeout"}');
    expect(checks.map((s) => [s.metric.site, s.value])).toEqual([['api', 1]]);
  });

  it('the example alerting rules pass promtool check rules and their unit tests', () => {
    const check = promtool(['check', 'rules', join(repoRoot, 'examples/prometheus-alerts.yml')]);
    expect(check.output).toContain('SUCCESS: 3 rules found');
    expect(check.code).toBe(0);
    const unit = promtool(['test', 'rules', join(import.meta.dirname, 'fixtures/alerts.test.yml')]);
    expect(unit.output).toContain('SUCCESS');
    expect(unit.code).toBe(0);
  });
});
