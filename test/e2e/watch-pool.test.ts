/**
 * `watch --mode processes` (the built bin) keeps its worker processes from sweep to sweep, replaces one
 * that was SIGKILLed, and leaves none behind when it stops on SIGTERM.
 */

import { afterEach, beforeEach, expect, it } from 'vitest';
import { status } from '../helpers/handlers.js';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { alive, childPids, waitFor } from '../helpers/proc-table.js';
import { tempDir, writeJson } from '../helpers/processes.js';
import { killAll, spawnWatch, waitForCount } from '../watch/helpers/daemon-process.js';

let dir: { path: string; cleanup: () => Promise<void> };
let server: TestHttpServer;

beforeEach(async () => {
  dir = await tempDir();
  server = await startHttpServer(status(200));
});
afterEach(async () => {
  await killAll();
  await server.close();
  await dir.cleanup();
});

const SWEEP = /"msg":"sweep"/;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

it('watch --mode processes: the same workers serve every sweep; a killed one is replaced; none is left after SIGTERM', async () => {
  const sites = Array.from({ length: 6 }, (_, i) => `${server.url}/${i}`);
  const config = await writeJson(dir.path, 'sites.json', { defaults: { retries: 0 }, sites });
  const daemon = spawnWatch([
    config,
    '--db',
    `${dir.path}/watch.db`,
    '--schedule',
    '* * * * * *',
    '--log-format',
    'json',
    '--mode',
    'processes',
    '--workers',
    '2',
  ]);
  await waitForCount(daemon, SWEEP, 1, 15_000);
  const first = sorted(childPids(daemon.pid));
  expect(first).toHaveLength(2);
  await waitForCount(daemon, SWEEP, 3, 15_000);
  expect(sorted(childPids(daemon.pid))).toEqual(first);
  expect(server.requests.length).toBeGreaterThanOrEqual(18);

  const [victim, survivor] = first as [number, number];
  process.kill(victim, 'SIGKILL');
  const sweeps = daemon.logs().filter((l) => l.msg === 'sweep').length;
  await waitForCount(daemon, SWEEP, sweeps + 2, 15_000);
  const now = childPids(daemon.pid);
  expect(now).toHaveLength(2);
  expect(now).toContain(survivor);
  expect(now).not.toContain(victim);

  daemon.signal('SIGTERM');
  expect((await daemon.exited).code).toBe(0);
  expect(await waitFor(() => now.every((pid) => !alive(pid)))).toBe(true);
  expect(daemon.stderr.lines().join('\n')).not.toMatch(/did not stop cleanly|sweep failed/);
});
