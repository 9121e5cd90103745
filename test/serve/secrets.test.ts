/**
 * No secret in any response: URL credentials, secret-looking query values and ${VAR} values are masked
 * as `check` masks them, whichever field of the model or label of the metrics they reach.
 */

import { describe, expect, it } from 'vitest';
import { MetricsState } from '../../src/serve/metrics/state.js';
import { model, site } from './fixtures.js';
import { useStatusServer } from './harness.js';

const PASSWORD = 'canary-password-71c3';
const QUERY = 'canary-query-9e0b';
const VAR = 'canary-var-44d2';
const CANARIES = [PASSWORD, QUERY, VAR];

const start = useStatusServer();

describe('secrets in the status server', () => {
  it('appear in no route, whatever field they reach', async () => {
    const url = `https://user:${PASSWORD}@shop.example.com/health?api_key=${QUERY}&x=${VAR}`;
    const cause = `HTTP 500 from ${url}: ${VAR}`;
    const incident = { start: '2030-03-31T11:00:00.000Z', durationMs: 60_000, cause };
    const sites = [
      site('shop', 'down', {
        name: `Shop ${VAR}`,
        url,
        group: `Group ${VAR}`,
        openIncidents: [{ ...incident, end: null }],
        closedIncidents: [{ ...incident, end: '2030-03-31T11:01:00.000Z' }],
      }),
    ];
    const state = new MetricsState([VAR]);
    const metricSite = { id: 'shop', url, group: `Group ${VAR}` };
    state.setSites([metricSite]);
    state.observeSweep(
      {
        id: 1,
        startedAt: '2030-03-31T11:59:00.000Z',
        finishedAt: '2030-03-31T11:59:01.000Z',
        sites: 1,
        checked: 1,
        up: 0,
        down: 1,
        outcome: 'ok',
        aborted: false,
        skippedTicks: 0,
      },
      [
        {
          site: metricSite,
          state: 'down',
          check: {
            kind: 'http-status',
            timings: { dnsMs: 1, connectMs: 1, tlsMs: 1, ttfbMs: 1, totalMs: 4 },
          },
        },
      ],
    );
    state.observeNotification(`ops-${VAR}`, 'sent');
    state.setOutbox({ [`ops-${VAR}`]: 1 });
    const { url: base } = await start(model(sites, { title: `Status ${VAR}`, description: VAR }), {
      secrets: [VAR],
      state,
    });

    const bodies: Record<string, string> = {};
    for (const path of [
      '/',
      '/api/status.json',
      '/metrics',
      '/healthz',
      '/badge/shop.svg',
      '/badge/shop.svg?type=uptime',
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      bodies[path] = `${JSON.stringify([...res.headers])}\n${await res.text()}`;
    }
    const open = await fetch(`${base}/metrics`, { headers: { accept: 'application/openmetrics-text' } });
    bodies['/metrics (OpenMetrics)'] = await open.text();

    for (const [path, body] of Object.entries(bodies)) {
      for (const canary of CANARIES) expect(body.includes(canary), `${canary} in ${path}`).toBe(false);
    }
    // Masked, not dropped: the page still shows where the secrets were.
    expect(bodies['/']).toContain('https://***@shop.example.com/health?api_key=***&amp;x=***');
    expect(bodies['/metrics']).toContain('url="https://***@shop.example.com/health?api_key=***&x=***"');
    expect(bodies['/metrics']).toContain('channel="ops-***"');
  });
});
