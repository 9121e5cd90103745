import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type Site } from '../../src/core/site.js';
import { STRATEGIES, type SweepContext } from '../../src/strategies/index.js';
import { shares } from '../../src/strategies/pool.js';
import { delay } from '../helpers/handlers.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { childPids, waitFor } from '../helpers/proc-table.js';

// Pool workers run the built dist/ copy of the worker: `npm test` builds before vitest runs.

const servers: TestHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Parameters<typeof startHttpServer>[0]): Promise<TestHttpServer> {
  const server = await startHttpServer(handler);
  servers.push(server);
  return server;
}

const site = (url: string): Site => ({ ...DEFAULT_OPTIONS, url, name: null, retries: 0, timeoutMs: 3000 });
const ctx = (extra: Partial<SweepContext> = {}): SweepContext => ({
  concurrency: 4,
  userAgent: 'uptime-squirrel/test',
  secrets: [],
  workers: 2,
  ...extra,
});

// Every mode's verdicts, secrets and abort: contract.test.ts, over the whole registry.

describe('the pooled modes', () => {
  it('split the concurrency so the total is --concurrency', () => {
    expect(shares(64, 2)).toEqual([32, 32]);
    expect(shares(5, 2)).toEqual([3, 2]);
    expect(shares(3, 8)).toEqual([1, 1, 1]);
  });

  it.each(['threads', 'processes'] as const)('%s never exceed --concurrency in total', async (mode) => {
    let open = 0;
    let peak = 0;
    const server = await serve((_req, res) => {
      open++;
      peak = Math.max(peak, open);
      setTimeout(() => {
        open--;
        res.end();
      }, 40);
    });
    const sites = Array.from({ length: 30 }, (_, i) => site(`${server.url}/${i}`));
    const results = await STRATEGIES[mode].run(sites, ctx({ concurrency: 5, workers: 2 }));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.requests).toHaveLength(30);
    expect(peak).toBeLessThanOrEqual(5);
    expect(peak).toBeGreaterThan(1);
  });

  it('hand the unfinished sites of a killed worker process to the others', async () => {
    const server = await serve(delay(150));
    const sites = Array.from({ length: 40 }, (_, i) => site(`${server.url}/${i}`));
    const started: string[] = [];
    let killed = 0;
    const results = await STRATEGIES.processes.run(
      sites,
      ctx({
        concurrency: 4,
        workers: 2,
        onWorkerStart: (id) => started.push(id),
        onResult: () => {
          // Kill the first worker once, mid-sweep, while it holds sites in flight.
          const pid = Number(started[0]?.split(' ')[1]);
          if (killed === 0 && pid) {
            killed = pid;
            process.kill(pid, 'SIGKILL');
          }
        },
      }),
    );
    expect(killed).toBeGreaterThan(0);
    expect(results).toHaveLength(40);
    expect(results.every((r) => r?.ok)).toBe(true);
    expect(results.map((r) => r.url)).toEqual(sites.map((s) => s.url));
    // The dead worker was replaced.
    expect(started.length).toBe(3);
    expect(await waitFor(() => childPids().length === 0)).toBe(true);
  });

  it.each(['threads', 'processes'] as const)(
    '%s stop every worker when the sweep is aborted',
    async (mode) => {
      const server = await serve(() => {
        // Never answers: the sweep can only end by the abort.
      });
      const sites = Array.from({ length: 10 }, (_, i) => site(`${server.url}/${i}`));
      const controller = new AbortController();
      const started: string[] = [];
      const run = STRATEGIES[mode].run(
        sites,
        ctx({ signal: controller.signal, onWorkerStart: (id) => started.push(id) }),
      );
      expect(await waitFor(() => server.requests.length >= 4)).toBe(true);
      if (mode === 'processes') expect(childPids().length).toBe(2);
      const t0 = Date.now();
      controller.abort();
      await expect(run).rejects.toMatchObject({ code: 'US_ERR_ABORTED' });
      expect(Date.now() - t0).toBeLessThan(1500);
      expect(await waitFor(() => childPids().length === 0, 3000)).toBe(true);
      expect(started).toHaveLength(2);
    },
  );
});
