/** `uptime-squirrel report` through the real binary, on a database written by `watch --once`. */

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin, tempDir, writeJson } from '../helpers/processes.js';
import { type SwitchServer, startSwitchServer } from '../watch/helpers/switch-server.js';

let dir: { path: string; cleanup: () => Promise<void> };
let up: SwitchServer;
let flaky: SwitchServer;
let db: string;

beforeAll(async () => {
  dir = await tempDir();
  up = await startSwitchServer(200);
  flaky = await startSwitchServer(200);
  const config = await writeJson(dir.path, 'sites.json', {
    defaults: { retries: 0 },
    sites: [{ url: `${up.url}/`, name: 'Shop' }, `${flaky.url}/api?token=s3cret`],
  });
  db = join(dir.path, 'history.db');
  // up, down, down, up: one closed incident; then down again: one open incident.
  for (const status of [200, 500, 500, 200, 503]) {
    flaky.set(status);
    const run = await runBin(['watch', config, '--once', '--db', db], { timeoutMs: 8000 });
    expect(run.code).toBe(0);
  }
});
afterAll(async () => {
  await up.close();
  await flaky.close();
  await dir.cleanup();
});

describe('report', () => {
  it('--json prints exactly the documented document', async () => {
    const run = await runBin(['report', '--db', db, '--json'], { timeoutMs: 8000 });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(Object.keys(doc)).toEqual(['since', 'until', 'sites', 'offline', 'silences']);
    expect(doc.offline).toEqual([]);
    expect(doc.silences).toEqual([]);
    expect(Date.parse(doc.until) - Date.parse(doc.since)).toBe(24 * 3_600_000);
    expect(doc.sites).toEqual([
      {
        url: `${up.url}/`,
        name: 'Shop',
        state: 'up',
        stateSince: expect.any(String),
        uptimePct: 100,
        checks: 5,
        offlineChecks: 0,
        maintenanceChecks: 0,
        p50Ms: expect.any(Number),
        p95Ms: expect.any(Number),
        incidents: [],
      },
      {
        url: `${flaky.url}/api?token=***`,
        name: null,
        state: 'down',
        stateSince: expect.any(String),
        uptimePct: 40,
        checks: 5,
        offlineChecks: 0,
        maintenanceChecks: 0,
        p50Ms: expect.any(Number),
        p95Ms: expect.any(Number),
        incidents: [
          {
            start: expect.any(String),
            end: expect.any(String),
            cause: expect.stringMatching(/^HTTP 500, expected 200-399$/),
          },
          {
            start: expect.any(String),
            end: null,
            cause: expect.stringMatching(/^HTTP 503, expected 200-399$/),
          },
        ],
      },
    ]);
    expect(run.stdout).not.toContain('s3cret');
  });

  it('prints a table with uptime, checks, percentiles, state, incidents and a sparkline', async () => {
    const run = await runBin(['report', '--db', db, '--since', '7d'], {
      timeoutMs: 8000,
      env: { NO_COLOR: '1' },
    });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^Uptime from .* to .* \(7d\), 2 sites, database .*history\.db$/);
    expect(lines[2]).toMatch(/^SITE +STATE +SINCE +UPTIME +CHECKS +P50 +P95 +INCIDENTS +RESPONSE TIME$/);
    expect(lines[3]).toMatch(/^Shop +UP +\d{4}-\d\d-\d\d \d\d:\d\dZ +100% +5 +\d+ ms +\d+ ms +0 +[ ▁-█]+$/);
    expect(lines[4]).toMatch(/api\?token=\*\*\* +DOWN +.* 40\.00% +5 +.* 2 +[ ▁-█×]+$/);
    expect(run.stdout).toMatch(/Incidents\n.*to ongoing .*HTTP 503/s);
  });

  it('exits 4 with advice when there is no database, and creates none', async () => {
    const missing = join(dir.path, 'nothing.db');
    const run = await runBin(['report', '--db', missing], { timeoutMs: 8000 });
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      `error: No database at ${missing}: run \`uptime-squirrel watch\` first, or pass the --db file it writes.\n`,
    );
  });

  it('exits 2 on a bad --since', async () => {
    const run = await runBin(['report', '--db', db, '--since', 'last week'], { timeoutMs: 8000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--since must be a duration back from now such as 24h, 7d or 30d/);
  });
});
