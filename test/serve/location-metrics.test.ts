/** Queue mode with locations in the exposition: each location's view of each site, and who answered. */

import { describe, expect, it } from 'vitest';
import type { SweepSummary } from '../../src/core/events.js';
import { createRegistries } from '../../src/serve/metrics/registry.js';
import { MetricsState } from '../../src/serve/metrics/state.js';
import { promtool } from '../helpers/prometheus.js';

const SWEEP: SweepSummary = {
  id: 1,
  startedAt: new Date(Date.now() - 1500).toISOString(),
  finishedAt: new Date().toISOString(),
  sites: 1,
  checked: 1,
  up: 1,
  down: 0,
  outcome: 'ok',
  aborted: false,
  skippedTicks: 0,
};
const timings = { dnsMs: 1, connectMs: 2, tlsMs: null, ttfbMs: 3, totalMs: 4 };

describe('metrics with locations', () => {
  it('a site one location sees down below the quorum shows under its location label; a location without a worker is 0', async () => {
    const state = new MetricsState();
    const shop = { id: 'shop', url: 'https://shop.example.com/', group: null };
    state.setSites([shop]);
    state.observeSweep(SWEEP, [
      {
        site: shop,
        state: 'up',
        check: { kind: 'ok', timings },
        locations: [
          { location: 'eu-west', ok: true },
          { location: 'us-east', ok: true },
          { location: 'ap-south', ok: false },
          { location: 'mars', ok: null },
        ],
      },
    ]);
    state.observeLocations({
      locations: ['eu-west', 'us-east', 'ap-south', 'mars'],
      quorum: 2,
      missing: [{ location: 'mars', missing: 1, reason: 'no live worker in mars' }],
    });
    const { body } = await createRegistries(state, false).expose(undefined);
    const lines = body
      .split('\n')
      .filter((l) => /^uptime_squirrel_(site_location_up|location_answered)\{/.test(l));
    expect(lines.sort()).toEqual(
      [
        'uptime_squirrel_site_location_up{site="shop",url="https://shop.example.com/",group="",location="eu-west"} 1',
        'uptime_squirrel_site_location_up{site="shop",url="https://shop.example.com/",group="",location="us-east"} 1',
        'uptime_squirrel_site_location_up{site="shop",url="https://shop.example.com/",group="",location="ap-south"} 0',
        'uptime_squirrel_location_answered{location="eu-west"} 1',
        'uptime_squirrel_location_answered{location="us-east"} 1',
        'uptime_squirrel_location_answered{location="ap-south"} 1',
        'uptime_squirrel_location_answered{location="mars"} 0',
      ].sort(),
    );
    expect(body).toContain('uptime_squirrel_site_up{site="shop",url="https://shop.example.com/",group=""} 1');
    const lint = promtool(['check', 'metrics'], body);
    expect(lint.output).toBe('');
    expect(lint.code).toBe(0);
  });

  it('without locations, no location series at all', async () => {
    const state = new MetricsState();
    state.setSites([{ id: 'shop', url: 'https://shop.example.com/', group: null }]);
    const { body } = await createRegistries(state, false).expose(undefined);
    expect(body).not.toMatch(/^uptime_squirrel_(site_location_up|location_answered)\{/m);
  });
});
