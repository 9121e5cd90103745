// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests, not a mistaken template.

/**
 * One contract for every mode of the registry (STRATEGIES), so a new mode is held to it by being
 * registered: the same verdicts as every other mode on one local fixture, no secret in its results or
 * output, and an abort that leaves nothing behind (no process, thread, socket or timer of its own).
 *
 * A mode that needs a service to run (queue: a redis-server and `worker` processes of the built bin)
 * says how to get one in SERVICES; a mode whose `configure` accepts no options at all needs nothing.
 */

import { readdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.js';
import type { Result } from '../../src/core/result.js';
import { DEFAULT_OPTIONS, type Site } from '../../src/core/site.js';
import {
  ALL_MODE_NAMES,
  type ModeName,
  type ModeSettings,
  STRATEGIES,
  type SweepContext,
} from '../../src/strategies/index.js';
import { runStoppable } from '../../src/strategies/stoppable.js';
import { useCleanup } from '../helpers/cleanup.js';
import { redirect, status } from '../helpers/handlers.js';
import { resetMidResponse, silent } from '../helpers/hostile.js';
import { refusedUrl } from '../helpers/ports.js';
import { childPids, waitFor } from '../helpers/proc-table.js';
import { startRedis } from '../helpers/redis.js';
import { readSources } from '../helpers/source-files.js';
import { startWorker } from '../queue/workers.js';

interface Service {
  /** The mode's own options, as a command line would give them to its configure(). */
  flags: Record<string, unknown>;
  /** What the service printed so far (worker logs): checked for secrets like the results. */
  output(): string;
  stop(): Promise<void>;
}

const SERVICES: Partial<Record<ModeName, () => Promise<Service>>> = {
  queue: async () => {
    const redis = await startRedis();
    const workers = [startWorker(redis.url, ['-c', '8']), startWorker(redis.url, ['-c', '8'])];
    await Promise.all(workers.map((w) => w.ready));
    return {
      flags: { redis: redis.url, deadline: 20_000 },
      output: () => workers.map((w) => w.log).join(''),
      stop: async () => {
        await Promise.all(workers.map((w) => w.stop(2000)));
        await redis.stop();
      },
    };
  },
};

const services = new Map<ModeName, Service>();
beforeAll(async () => {
  for (const mode of ALL_MODE_NAMES) {
    const start = SERVICES[mode];
    if (start !== undefined) services.set(mode, await start());
  }
}, 30_000);
afterAll(async () => {
  await Promise.all([...services.values()].map((s) => s.stop()));
});

const { serve, raw } = useCleanup();

/** The sweep context a command would give `mode`: its settings from its own options. */
function contextFor(mode: ModeName, extra: Partial<SweepContext> = {}): SweepContext {
  const settings: ModeSettings =
    STRATEGIES[mode].configure?.({ command: 'check', flags: services.get(mode)?.flags ?? {} }) ?? {};
  return {
    concurrency: 4,
    workers: 2,
    userAgent: 'uptime-squirrel/test',
    secrets: [],
    ...settings,
    ...extra,
  };
}

const site = (url: string, extra: Partial<Site> = {}): Site => ({
  ...DEFAULT_OPTIONS,
  url,
  name: null,
  retries: 0,
  timeoutMs: 3000,
  ...extra,
});
const verdicts = (results: Result[]) => results.map((r) => [r.url, r.ok, r.kind, r.status]);

/** This process's own threads (Linux): a worker thread left running is one more. */
const threads = () => readdirSync('/proc/self/task').length;
/** Handles keeping this process alive, by type (sockets, timers, child processes...). */
function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

describe.each(ALL_MODE_NAMES)('mode %s', (mode) => {
  afterEach(() => {
    expect(services.get(mode)?.output() ?? '').not.toMatch(/unhandled|TypeError/);
  });

  it('needs nothing but its own options, or has a service here to run against', () => {
    if (SERVICES[mode] !== undefined) return;
    expect(() => STRATEGIES[mode].configure?.({ command: 'check', flags: {} })).not.toThrow();
  });

  it('gives the verdicts every mode gives, one per site, in config order', async () => {
    const ok = await serve(status(200));
    const notFound = await serve(status(404));
    const broken = await serve(status(500));
    const reset = await raw(resetMidResponse());
    const refused = (await refusedUrl()).replace(/\/$/, '');
    const bases = [ok.url, notFound.url, broken.url, refused, reset.url];
    const sites = Array.from({ length: 25 }, (_, i) => site(`${bases[i % bases.length]}/page-${i}`));

    const results = await STRATEGIES[mode].run(sites, contextFor(mode));

    expect(results.map((r) => [r.url, r.ok, r.kind, r.status])).toEqual(
      sites.map((s, i) => {
        const [ok, kind, code] = (
          [
            [true, 'ok', 200],
            [false, 'http-status', 404],
            [false, 'http-status', 500],
            [false, 'refused', null],
            [false, 'reset', null],
          ] as const
        )[i % 5] as readonly [boolean, string, number | null];
        return [s.url, ok, kind, code];
      }),
    );
    // And exactly what the baseline mode gives.
    expect(verdicts(results)).toEqual(verdicts(await STRATEGIES.serial.run(sites, contextFor('serial'))));
  });

  it('carries every check option to the check: a request body and assertions on the response', async () => {
    // Echoes the method and body it got, as JSON: the assertions pass only if both arrived.
    const echo = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, body }));
      });
    });
    const posted = { text: '{"ping":1}', contentType: 'application/json' };
    const sites = [
      site(`${echo.url}/ok`, {
        method: 'POST',
        body: posted,
        expect: { json: { method: { equals: 'POST' }, body: { equals: '{"ping":1}' } } },
      }),
      site(`${echo.url}/wrong`, { method: 'POST', body: posted, expect: { bodyContains: ['pong'] } }),
    ];

    const results = await STRATEGIES[mode].run(sites, contextFor(mode));

    expect(results.map((r) => [r.ok, r.kind, r.method])).toEqual([
      [true, 'ok', 'POST'],
      [false, 'assertion', 'POST'],
    ]);
  });

  it('never shows a ${VAR} header value or a URL credential, in results or output', async () => {
    const header = 'sk-live-contract-0123456789';
    const password = 'hunter2-contract';
    // Reflects the header into a redirect loop, so an unredacted error message would carry it.
    const echo = await serve((req, res) => redirect(`/loop?echo=${req.headers['x-api-key']}`)(req, res));
    const up = await serve(status(200));
    const sites = [
      site(echo.url, { headers: { 'X-Api-Key': header } }),
      site(up.url.replace('http://', `http://monitor:${password}@`)),
    ];
    const seen: Result[] = [];
    const results = await STRATEGIES[mode].run(
      sites,
      contextFor(mode, { secrets: [header], onResult: (r) => seen.push(r) }),
    );

    expect(echo.requests[0]?.headers['x-api-key']).toBe(header);
    expect(results.map((r) => [r.ok, r.kind])).toEqual([
      [false, 'redirect-loop'],
      [true, 'ok'],
    ]);
    expect(results[0]?.error).toContain('echo=***');
    expect(results[1]?.url).toContain('***@127.0.0.1');
    const shown = JSON.stringify([results, seen]) + (services.get(mode)?.output() ?? '');
    expect(shown).not.toContain(header);
    expect(shown).not.toContain(password);
  });

  it('hands back every check that finished before an abort; the rest come back unchecked, with the signal', async () => {
    const up = await serve(status(200));
    const server = await raw(silent());
    // Up sites first: the serial mode reaches the silent ones only once they are done.
    const sites = [
      site(`${up.url}/a`),
      site(`${up.url}/b`),
      ...Array.from({ length: 3 }, (_, i) => site(`${server.url}/${i}`, { timeoutMs: 5000 })),
    ];
    const reported: Result[] = [];
    const controller = new AbortController();
    const run = runStoppable(
      STRATEGIES[mode],
      sites,
      contextFor(mode, { signal: controller.signal, onResult: (r) => reported.push(r) }),
    );
    expect(await waitFor(() => reported.length === 2 && server.connections >= 1, 10_000)).toBe(true);
    controller.abort(new InterruptedError('SIGTERM'));
    const { results, stopped } = await run;

    expect(stopped).toMatchObject({ code: 'US_ERR_TERMINATED', signal: 'SIGTERM' });
    // The very results reported, whatever order they came in.
    expect(results.slice(0, 2)).toEqual([...reported].sort((x, y) => x.url.localeCompare(y.url)));
    expect(results.map((r) => [r.url, r.ok, r.kind, r.error])).toEqual([
      [`${up.url}/a`, true, 'ok', null],
      [`${up.url}/b`, true, 'ok', null],
      ...sites.slice(2).map((s) => [s.url, null, 'unchecked', 'not checked: interrupted by SIGTERM']),
    ]);
  });

  it('stops on abort and leaves nothing behind: no process, thread, socket or timer of its own', async () => {
    const server = await raw(silent());
    const sites = Array.from({ length: 8 }, (_, i) => site(`${server.url}/${i}`, { timeoutMs: 20_000 }));
    const before = { children: new Set(childPids()), threads: threads(), handles: handles() };
    const controller = new AbortController();
    const run = STRATEGIES[mode].run(sites, contextFor(mode, { signal: controller.signal }));
    expect(await waitFor(() => server.connections >= 1, 10_000)).toBe(true);

    const aborted = performance.now();
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'US_ERR_ABORTED' });
    expect(performance.now() - aborted).toBeLessThan(3000);

    // Nothing more than before the sweep: what is left may only be fewer (earlier tests winding down).
    const grown = () => {
      const now = handles();
      // The silent server's end of a connection is the fixture's, not the mode's: a service's workers,
      // in processes of their own, hold theirs until their checks time out.
      now.TCPSocketWrap = (now.TCPSocketWrap ?? 0) - server.open;
      return Object.keys(now).filter((type) => (now[type] ?? 0) > (before.handles[type] ?? 0));
    };
    const newChildren = () => childPids().filter((pid) => !before.children.has(pid));
    const settled = await waitFor(
      () => newChildren().length === 0 && threads() <= before.threads && grown().length === 0,
      5000,
    );
    expect({ children: newChildren(), grown: grown(), handles: handles() }).toMatchObject({
      children: [],
      grown: [],
    });
    expect(threads()).toBeLessThanOrEqual(before.threads);
    expect(settled).toBe(true);
    // A mode checking in this process let go of its sockets (a service's workers time out on their own).
    if (!services.has(mode)) expect(await waitFor(() => server.open === 0, 3000)).toBe(true);
  });
});

describe('the commands', () => {
  it('branch on no mode by name: a mode brings its options and checks with it', () => {
    const names = ALL_MODE_NAMES.join('|');
    const branch = new RegExp(`(===|!==)\\s*'(${names})'|\\.includes\\('(${names})'\\)`);
    const offenders = readSources()
      .filter((f) => f.name.startsWith('commands/') || f.name.startsWith('cli'))
      .filter((f) => branch.test(f.text))
      .map((f) => f.name);
    expect(offenders).toEqual([]);
    expect(branch.test("if (flags.mode === 'queue')")).toBe(true);
  });
});
