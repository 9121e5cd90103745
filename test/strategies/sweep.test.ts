import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import type { Site } from '../../src/core/site.js';
import { USER_AGENT } from '../../src/core/version.js';
import { asyncStrategy } from '../../src/strategies/async.js';
import type { Strategy, SweepContext } from '../../src/strategies/index.js';
import { serialStrategy } from '../../src/strategies/serial.js';
import { site, useCleanup } from '../helpers/cleanup.js';
import { headRefused, redirect, status } from '../helpers/handlers.js';
import { silent } from '../helpers/hostile.js';
import type { Handler } from '../helpers/http-server.js';
import { refusedUrl } from '../helpers/ports.js';
import { startRawServer, type TestRawServer } from '../helpers/raw-server.js';

const { defer, serve } = useCleanup();

/** A server that never answers (its `open` counts the connections it holds). */
async function silentServer(): Promise<TestRawServer> {
  const server = await startRawServer(silent());
  defer(server.close);
  return server;
}

/** How many of this process's live handles are of `type` (TCPSocketWrap, Timeout...). */
const handles = (type: string) => process.getActiveResourcesInfo().filter((t) => t === type).length;

function sweepContext(extra: Partial<SweepContext> = {}): SweepContext {
  return { concurrency: 4, userAgent: USER_AGENT, secrets: [], retryDelayMs: 50, ...extra };
}

const STRATEGIES: Array<[string, Strategy]> = [
  ['async', asyncStrategy],
  ['serial', serialStrategy],
];

/** Every kind of answer, each site on its own server (own origin), in a fixed order. */
async function mixedFixture(): Promise<Site[]> {
  const up = await serve(status(200));
  const missing = await serve(status(404));
  const broken = await serve(status(500));
  const noHead = await serve(headRefused(405));
  const moved = await serve((req, res) =>
    req.url === '/' ? redirect('/home')(req, res) : status(200)(req, res),
  );
  const hang = await silentServer();
  return [
    site(`${up.url}/`, { name: 'up' }),
    site(`${missing.url}/`, { name: 'missing' }),
    site(`${broken.url}/`, { name: 'broken' }),
    site(await refusedUrl(), { name: 'refused' }),
    site(`${noHead.url}/`, { name: 'no-head' }),
    site(`${hang.url}/`, { name: 'silent', timeoutMs: 400 }),
    site(`${moved.url}/`, { name: 'moved' }),
  ];
}

const verdict = (r: Result) => ({
  name: r.name,
  ok: r.ok,
  kind: r.kind,
  status: r.status,
  method: r.method,
  redirects: r.redirects,
});

describe('sweep strategies', () => {
  it('async and serial give the same verdicts, one result per site in config order', async () => {
    const sites = await mixedFixture();
    const expected = [
      { name: 'up', ok: true, kind: 'ok', status: 200, method: 'HEAD', redirects: 0 },
      { name: 'missing', ok: false, kind: 'http-status', status: 404, method: 'HEAD', redirects: 0 },
      { name: 'broken', ok: false, kind: 'http-status', status: 500, method: 'HEAD', redirects: 0 },
      { name: 'refused', ok: false, kind: 'refused', status: null, method: 'HEAD', redirects: 0 },
      { name: 'no-head', ok: true, kind: 'ok', status: 200, method: 'GET', redirects: 0 },
      { name: 'silent', ok: false, kind: 'timeout', status: null, method: 'HEAD', redirects: 0 },
      { name: 'moved', ok: true, kind: 'ok', status: 200, method: 'HEAD', redirects: 1 },
    ];
    for (const [mode, strategy] of STRATEGIES) {
      const seen: number[] = [];
      const results = await strategy.run(sites, sweepContext({ onResult: (_r, i) => seen.push(i) }));
      expect(results.map(verdict), mode).toEqual(expected);
      expect(
        results.map((r) => r.url),
        mode,
      ).toEqual(sites.map((s) => s.url));
      expect(
        [...seen].sort((a, b) => a - b),
        mode,
      ).toEqual([0, 1, 2, 3, 4, 5, 6]);
    }
  });

  it('an empty site list gives an empty result list', async () => {
    for (const [mode, strategy] of STRATEGIES) {
      expect(await strategy.run([], sweepContext()), mode).toEqual([]);
    }
  });

  it('masks the secrets it is given in every result', async () => {
    const server = await serve(status(404));
    const secret = 'hunter2-secret-value';
    for (const [mode, strategy] of STRATEGIES) {
      const [result] = await strategy.run(
        [site(`${server.url}/hook/${secret}`)],
        sweepContext({ secrets: [secret] }),
      );
      expect(result?.url, mode).toBe(`${server.url}/hook/***`);
      expect(JSON.stringify(result), mode).not.toContain(secret);
    }
  });

  it.each([
    ['async', asyncStrategy, 3],
    ['serial', serialStrategy, 1],
  ] as const)('%s never has more checks in flight than its bound', async (_mode, strategy, bound) => {
    const load = { active: 0, max: 0 };
    // Requests in flight at the servers: a check holds its connection from request to response.
    const slow: Handler = (_req, res) => {
      load.active += 1;
      load.max = Math.max(load.max, load.active);
      const timer = setTimeout(() => {
        load.active -= 1;
        res.writeHead(200).end();
      }, 60);
      res.once('close', () => clearTimeout(timer));
    };
    const servers = await Promise.all(Array.from({ length: 12 }, () => serve(slow)));
    const results = await strategy.run(
      servers.map((s) => site(`${s.url}/`)),
      sweepContext({ concurrency: 3 }),
    );

    expect(results.every((r) => r.ok)).toBe(true);
    expect(servers.map((s) => s.requests.length)).toEqual(Array(12).fill(1));
    expect(load.max).toBe(bound);
  });

  it.each(STRATEGIES)(
    '%s: aborting mid-sweep rejects with US_ERR_ABORTED and closes every connection',
    async (_mode, strategy) => {
      const servers = await Promise.all(Array.from({ length: 4 }, () => silentServer()));
      const controller = new AbortController();
      const sites = servers.map((s) => site(`${s.url}/`, { timeoutMs: 10_000 }));
      const timersBefore = handles('Timeout');
      const run = strategy.run(sites, sweepContext({ concurrency: 2, signal: controller.signal }));
      const outcome = run.then(
        () => 'resolved',
        (err: unknown) => err,
      );
      await expect.poll(() => servers.reduce((n, s) => n + s.open, 0)).toBeGreaterThan(0);

      const started = performance.now();
      controller.abort();
      const err = await outcome;
      expect(performance.now() - started).toBeLessThan(500);
      expect(err).toMatchObject({ code: 'US_ERR_ABORTED' });
      await expect.poll(() => servers.reduce((n, s) => n + s.open, 0), { timeout: 1000 }).toBe(0);
      // No check was started after the abort, and none can start later: this process holds no socket
      // (open or connecting) and no timer (a retry's pause, a deadline) more than before the sweep.
      expect(handles('TCPSocketWrap')).toBe(0);
      expect(handles('Timeout')).toBeLessThanOrEqual(timersBefore);
      expect(servers.reduce((n, s) => n + s.connections, 0)).toBeLessThanOrEqual(2);
    },
  );

  it('a signal aborted before the sweep starts rejects at once without connecting', async () => {
    const server = await silentServer();
    for (const [mode, strategy] of STRATEGIES) {
      const controller = new AbortController();
      controller.abort();
      await expect(
        strategy.run([site(`${server.url}/`)], sweepContext({ signal: controller.signal })),
        mode,
      ).rejects.toMatchObject({ code: 'US_ERR_ABORTED' });
    }
    expect(server.connections).toBe(0);
  });
});
