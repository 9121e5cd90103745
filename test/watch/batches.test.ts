/**
 * The batch loop with real servers, a real store and the async strategy. Intervals of 1 and 3 s here
 * (the config allows 10 s at least; the loop takes any), so that a few seconds show each pace.
 */

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import type { SweepSummary } from '../../src/core/events.js';
import { DEFAULT_OPTIONS, type Site } from '../../src/core/site.js';
import { WatchStore } from '../../src/store/store.js';
import { STRATEGIES } from '../../src/strategies/index.js';
import { BatchLoop } from '../../src/watch/batches.js';
import { CheckDurations } from '../../src/watch/history-order.js';
import { createLogger } from '../../src/watch/log.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { waitFor } from '../helpers/proc-table.js';
import { tempDir } from '../helpers/processes.js';
import { capture } from './helpers/capture.js';

let dir: { path: string; cleanup: () => Promise<void> };
let store: WatchStore;
const servers: TestHttpServer[] = [];

beforeEach(async () => {
  dir = await tempDir();
  store = WatchStore.open(join(dir.path, 'watch.db'));
});
afterEach(async () => {
  store.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await dir.cleanup();
});

/** A server answering 200 after `delayMs`; counts the requests in flight at once, at most. */
async function server(delayMs: number) {
  let inFlight = 0;
  let most = 0;
  const s = await startHttpServer((_req, res) => {
    inFlight++;
    most = Math.max(most, inFlight);
    setTimeout(() => {
      inFlight--;
      res.writeHead(200).end();
    }, delayMs);
  });
  servers.push(s);
  return { s, most: () => most };
}

function config(sites: Site[]): Config {
  return {
    file: 'sites.json',
    sites,
    channels: {},
    heartbeat: null,
    summary: null,
    connectivity: null,
    offline: null,
    server: null,
    statusPage: { title: 't', description: null, sites: null, refreshSeconds: 60 },
    secrets: [],
    maintenance: [],
    timeZone: null,
    locations: null,
    quorum: null,
  };
}

const site = (url: string, interval: number | undefined): Site => ({
  ...DEFAULT_OPTIONS,
  url,
  name: null,
  retries: 0,
  timeoutMs: 5000,
  interval,
});

describe('BatchLoop', () => {
  it('checks each site at its pace, never twice at once, and commits each second as a sweep', async () => {
    const every = await server(0);
    const slowEvery = await server(2500);
    const rare = await server(0);
    const sweeps: SweepSummary[] = [];
    const current = config([
      site(`${every.s.url}/`, 1000),
      // Checked every second but answering in 2.5 s: never a second request while one runs.
      site(`${slowEvery.s.url}/`, 1000),
      site(`${rare.s.url}/`, 3000),
    ]);
    const stop = new AbortController();
    const loop = new BatchLoop({
      deps: {
        store,
        logger: createLogger(capture(), 'json'),
        strategy: STRATEGIES.async,
        sweep: { concurrency: 8, userAgent: 'test' },
        offlineRule: null,
        onEvents: async (_events, sweep) => {
          sweeps.push(sweep);
        },
        clock: Date.now,
        durations: new CheckDurations(),
      },
      config: () => current,
      schedule: '*/5 * * * *',
      signal: stop.signal,
    });
    const running = loop.run();
    expect(await waitFor(() => rare.s.requests.length >= 2, 10_000)).toBe(true);
    stop.abort();
    loop.stop();
    await running;

    expect(every.s.requests.length).toBeGreaterThanOrEqual(2 * rare.s.requests.length);
    expect(slowEvery.most()).toBe(1);
    expect(slowEvery.s.requests.length).toBeLessThan(every.s.requests.length);
    // Each commit is a sweep of the checks finished since the last one; all of them are recorded.
    const recorded = sweeps.reduce((n, s) => n + s.checked, 0);
    expect(sweeps.length).toBeGreaterThanOrEqual(3);
    expect(recorded).toBe(store.rows('results'));
    // Every check that ended is recorded; the stop may cut one check per site short (not recorded).
    const requests = every.s.requests.length + slowEvery.s.requests.length + rare.s.requests.length;
    expect(recorded).toBeGreaterThanOrEqual(requests - 3);
    expect(recorded).toBeLessThanOrEqual(requests);
  });
});
