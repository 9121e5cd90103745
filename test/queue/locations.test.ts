/**
 * Multi-location queue mode end to end: a real redis-server, `worker --location` processes of the built
 * bin for three locations, real HTTP servers on loopback and a real webhook receiver.
 *
 * How one location sees a site differently: its workers run with HTTP_PROXY pointing at a port where
 * nothing listens (the probe honours HTTP(S)_PROXY and NO_PROXY, as the README documents), so every check
 * from there fails with kind "proxy"; NO_PROXY=127.0.0.1:<port> lets one site through directly.
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { startRunningBin } from '../e2e/running-bin.js';
import { type Handler, startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { refusedUrl } from '../helpers/ports.js';
import { runBin, tempDir, writeJson } from '../helpers/processes.js';
import { startWebhookReceiver, type TestWebhookReceiver } from '../helpers/webhook-receiver.js';
import { useQueue } from './workers.js';

// Worker processes run the built bin (dist/): `npm test` builds first; alone, run
// `npx tsc -p tsconfig.build.json` before these tests.

const queue = useQueue();
const LOCATIONS = ['eu-west', 'us-east', 'ap-south'];
let dir: { path: string; cleanup: () => Promise<void> };
const servers: TestHttpServer[] = [];
let hook: TestWebhookReceiver | undefined;

beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await hook?.close();
  hook = undefined;
  await dir.cleanup();
});

async function server(handler: Handler = (_req, res) => res.end('ok')): Promise<TestHttpServer> {
  const s = await startHttpServer(handler);
  servers.push(s);
  return s;
}

/** The environment of a worker whose checks go through `proxy` (nobody answers there), except to `direct`. */
function behind(proxy: string, direct: TestHttpServer[] = []): Record<string, string> {
  return { HTTP_PROXY: proxy, http_proxy: '', NO_PROXY: direct.map((s) => `127.0.0.1:${s.port}`).join(',') };
}

const NO_PROXY_ENV = { HTTP_PROXY: '', http_proxy: '', HTTPS_PROXY: '', https_proxy: '' };

function workers(location: string, n: number, env: Record<string, string> = NO_PROXY_ENV, name = location) {
  return Array.from({ length: n }, (_, i) =>
    queue.worker(['--location', location, '--name', `${name}-${i}`, '--concurrency', '4'], env),
  );
}

const queueArgs = () => ['--mode', 'queue', '--redis', queue.redis().url];

describe('queue mode with locations', () => {
  it('below the quorum: up, no alert, the location shown; at the quorum: one alert naming the locations', async () => {
    const regional = await server();
    const shared = await server();
    // eu-west sees both up; us-east sees `shared` down; ap-south sees both down.
    const dead = await refusedUrl();
    const all = [
      ...workers('eu-west', 1),
      ...workers('us-east', 1, behind(dead, [regional])),
      ...workers('ap-south', 1, behind(dead)),
    ];
    await Promise.all(all.map((w) => w.ready));
    hook = await startWebhookReceiver();
    const config = await writeJson(dir.path, 'sites.json', {
      locations: LOCATIONS,
      quorum: 2,
      defaults: { retries: 0, timeoutMs: 3000 },
      sites: [
        { url: `${regional.url}/`, name: 'Regional' },
        { url: `${shared.url}/`, name: 'Shared' },
      ],
      channels: { hook: { type: 'webhook', url: hook.url } },
    });

    const check = await runBin(['check', config, ...queueArgs(), '--json'], { timeoutMs: 20_000 });
    expect(check.code, check.stderr).toBe(1);
    const report = JSON.parse(check.stdout) as {
      summary: Record<string, number>;
      locations: { locations: string[]; quorum: number; missing: unknown[] };
      results: Result[];
    };
    expect(report.summary).toEqual({ total: 2, up: 1, down: 1, unchecked: 0 });
    expect(report.locations).toEqual({ locations: LOCATIONS, quorum: 2, missing: [] });
    const [up, down] = report.results;
    expect(up?.ok).toBe(true);
    expect(up?.locations?.map((l) => [l.location, l.ok, l.kind, l.status])).toEqual([
      ['eu-west', true, 'ok', 200],
      ['us-east', true, 'ok', 200],
      ['ap-south', false, 'proxy', null],
    ]);
    expect(up?.note).toMatch(/^down from ap-south only, below the quorum of 2: proxy /);
    expect(down?.ok).toBe(false);
    expect(down?.kind).toBe('proxy');
    expect(down?.error).toMatch(
      /^down from us-east and ap-south \(eu-west sees it up: 200 in \d+(\.\d)? (ms|s)\): proxy http:\/\/127\.0\.0\.1:\d+ is not reachable/,
    );
    expect(down?.locations?.map((l) => [l.location, l.ok])).toEqual([
      ['eu-west', true],
      ['us-east', false],
      ['ap-south', false],
    ]);

    // The table says which locations see the up site down.
    const table = await runBin(['check', config, ...queueArgs()], { timeoutMs: 20_000 });
    // The detail column wraps: read it as one line per site.
    const rows = table.stdout.replace(/\n {10,}/g, ' ');
    expect(rows).toMatch(/UP +Regional .*200, down from ap-south \(below the quorum\)/);
    expect(rows).toMatch(/DOWN +Shared .*down from us-east and ap-south \(eu-west sees it up: 200 in /);

    // watch: one alert, for the site down at the quorum, naming the locations; none for the regional one.
    const db = join(dir.path, 'watch.db');
    const watch = await runBin(['watch', config, '--db', db, '--once', ...queueArgs(), '--deadline', '15s'], {
      timeoutMs: 25_000,
    });
    expect(watch.code, watch.stderr).toBe(0);
    const [alert] = await hook.waitForRequests(1, 5000);
    expect(hook.requests).toHaveLength(1);
    expect(alert?.body).toMatch(/down from us-east and ap-south \(eu-west sees it up: 200 in [^)]+\)/);
    expect(alert?.body).toContain(shared.url);
    expect(alert?.body).not.toContain(regional.url);
  }, 90_000);

  it("a location's workers SIGKILLed mid-sweep: unchecked from there, said by name; a killed worker's batch goes to its own location only", async () => {
    // Slow enough that every batch is still being checked when the workers are killed.
    const slow = await server((_req, res) => {
      const timer = setTimeout(() => res.end('ok'), 1500);
      res.once('close', () => clearTimeout(timer));
    });
    const [euA, euB] = [
      queue.worker(['--location', 'eu-west', '--name', 'eu-a', '--concurrency', '1'], NO_PROXY_ENV),
      queue.worker(['--location', 'eu-west', '--name', 'eu-b', '--concurrency', '1'], NO_PROXY_ENV),
    ];
    const others = [...workers('us-east', 1), ...workers('ap-south', 2)];
    await Promise.all([euA, euB, ...others].map((w) => w?.ready));
    const sites = [1, 2, 3, 4].map((n) => ({ url: `${slow.url}/${n}`, name: `S${n}` }));
    const config = await writeJson(dir.path, 'sites.json', {
      locations: LOCATIONS,
      quorum: 2,
      defaults: { retries: 0, timeoutMs: 5000 },
      sites,
    });
    const check = startRunningBin([
      'check',
      config,
      ...queueArgs(),
      '--json',
      '--wait-for-workers',
      '1s',
      '--deadline',
      '25s',
    ]);
    try {
      const redis = queue.redis();
      // Mid-batch: eu-a holds a batch of eu-west, and ap-south's workers hold batches of theirs.
      const held = async (location: string) => {
        const reply = await redis.command('LRANGE', `uptime-squirrel:checks.${location}:active`, '0', '-1');
        const ids = reply.split('\r\n').filter((l) => l !== '' && !/^[*$]/.test(l));
        const by = await Promise.all(
          ids.map((id) => redis.command('HGET', `uptime-squirrel:checks.${location}:${id}`, 'pb')),
        );
        return by.map((r) => r.split('\r\n')[1] ?? '');
      };
      const until = Date.now() + 10_000;
      while (!((await held('eu-west')).includes('eu-a') && (await held('ap-south')).length > 0)) {
        if (Date.now() > until) throw new Error('the workers never held their batches');
        await new Promise((r) => setTimeout(r, 50));
      }
      euA?.kill();
      for (const w of others.slice(1)) w.kill();

      const { code } = await check.exited;
      expect(code, check.stderr).toBe(0);
      const report = JSON.parse(check.stdout) as {
        locations: { missing: Array<{ location: string; missing: number; reason: string }> };
        results: Result[];
      };
      // Still decided by the two locations left, which make the quorum.
      expect(report.results.map((r) => r.ok)).toEqual([true, true, true, true]);
      for (const r of report.results) {
        const seen = Object.fromEntries((r.locations ?? []).map((l) => [l.location, l.ok]));
        // eu-a's batch was taken over by eu-b: every site has a result from eu-west.
        expect(seen).toMatchObject({ 'eu-west': true, 'us-east': true });
      }
      const apSouth = report.results.flatMap(
        (r) => r.locations?.filter((l) => l.location === 'ap-south') ?? [],
      );
      expect(apSouth.filter((l) => l.ok === null).length).toBeGreaterThan(0);
      expect(apSouth.every((l) => l.ok === null || l.ok === true)).toBe(true);
      expect(report.locations.missing).toEqual([
        expect.objectContaining({
          location: 'ap-south',
          reason: expect.stringMatching(/^no live worker in ap-south/),
        }),
      ]);
      // Said once, by name.
      expect(check.stderr.match(/location ap-south: \d+ check\(s\) without a result/g)).toHaveLength(1);
      expect(euB?.log).toMatch(/back in the queue/);
    } finally {
      await check.stop();
    }
  }, 90_000);

  it('a location added and one removed between sweeps: each kept in history, uptime per location, a location without a worker named', async () => {
    const site = await server();
    const all = [...workers('eu-west', 1), ...workers('us-east', 1), ...workers('ap-south', 1)];
    await Promise.all(all.map((w) => w.ready));
    const db = join(dir.path, 'watch.db');
    const sweep = async (locations: string[]) => {
      const config = await writeJson(dir.path, 'sites.json', {
        locations,
        quorum: 2,
        defaults: { retries: 0, timeoutMs: 3000 },
        sites: [{ url: `${site.url}/`, name: 'Site' }],
      });
      const run = await runBin(
        [
          'watch',
          config,
          '--db',
          db,
          '--once',
          ...queueArgs(),
          '--deadline',
          '15s',
          '--wait-for-workers',
          '1s',
        ],
        { timeoutMs: 25_000 },
      );
      expect(run.code, run.stderr).toBe(0);
      return { config, run };
    };
    await sweep(['eu-west', 'us-east']);
    await sweep(['eu-west', 'us-east', 'ap-south']);
    await sweep(['eu-west', 'ap-south']);
    // A location nobody serves: counted as not answering, named once in the log; the quorum still answers.
    const last = await sweep(['eu-west', 'ap-south', 'mars']);
    expect(
      last.run.stderr.match(
        /WARN location mars: 1 check\(s\) without a result, counted as not answering: no live worker in mars/g,
      ),
    ).toHaveLength(1);
    expect(last.run.stderr).not.toMatch(/DOWN/);

    const report = await runBin(['report', '--db', db, '--json'], { timeoutMs: 10_000 });
    expect(report.code, report.stderr).toBe(0);
    const [row] = (JSON.parse(report.stdout) as { sites: Array<Record<string, unknown>> }).sites;
    expect(row).toMatchObject({ uptimePct: 100, checks: 4 });
    expect(row?.locations).toEqual([
      { location: 'ap-south', uptimePct: 100, checks: 3, unanswered: 0 },
      { location: 'eu-west', uptimePct: 100, checks: 4, unanswered: 0 },
      { location: 'mars', uptimePct: null, checks: 0, unanswered: 1 },
      { location: 'us-east', uptimePct: 100, checks: 2, unanswered: 0 },
    ]);
    const table = await runBin(['report', '--db', db], { timeoutMs: 10_000 });
    expect(table.stdout).toContain(
      'Site: ap-south 100% (3 checks), eu-west 100% (4 checks), mars - (0 checks, 1 without a result), us-east 100% (2 checks)',
    );

    // The status page: the latest sweep's locations beside the combined verdict, and the one with no worker.
    const html = join(dir.path, 'site');
    const written = await runBin(['report', '--db', db, '--html', html, '--config', last.config], {
      timeoutMs: 10_000,
    });
    expect(written.code, written.stderr).toBe(0);
    const status = JSON.parse(await readFile(join(html, 'status.json'), 'utf8')) as {
      sites: Array<{ state: string; locations?: unknown }>;
      locationsMissing?: unknown;
    };
    expect(status.sites[0]?.state).toBe('up');
    expect(status.sites[0]?.locations).toEqual([
      { location: 'ap-south', state: 'up', uptime24h: 100 },
      { location: 'eu-west', state: 'up', uptime24h: 100 },
      { location: 'mars', state: 'unknown', uptime24h: null },
    ]);
    expect(status.locationsMissing).toEqual([{ location: 'mars', missing: 1 }]);
    const page = await readFile(join(html, 'index.html'), 'utf8');
    expect(page).toMatch(/mars: no result for 1 site in the latest sweep \(no live worker there\)/);
  }, 120_000);
});
