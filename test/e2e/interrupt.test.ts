import { describe, expect, it } from 'vitest';
import { MODE_NAMES, type ModeName } from '../../src/strategies/index.js';
import { useCleanup } from '../helpers/cleanup.js';
import { status } from '../helpers/handlers.js';
import { silent } from '../helpers/hostile.js';
import { alive, waitFor } from '../helpers/proc-table.js';
import { startRunningBin } from './running-bin.js';

// The built bin (`npm test` builds first; alone, run `npm run build`): Ctrl-C or SIGTERM during `check`
// prints what finished, the rest as unchecked, and exits 130 or 143. Queue mode: test/queue/interrupt.test.ts.

const { defer, serve, raw, config } = useCleanup();

/** Two sites that answer at once, then two that never do: one check at a time reaches them in that order. */
async function fixture() {
  const up = await serve(status(200));
  const quiet = await raw(silent());
  const file = await config({
    sites: [
      { url: `${up.url}/a`, name: 'first' },
      { url: `${up.url}/b`, name: 'second' },
      { url: `${quiet.url}/c`, name: 'third', timeoutMs: 20_000 },
      { url: `${quiet.url}/d`, name: 'fourth', timeoutMs: 20_000 },
    ],
  });
  return { up, quiet, file };
}

/** `check` with one check in flight at a time, in any mode; stopped once the first silent site is reached. */
async function interrupted(mode: ModeName, signal: NodeJS.Signals, extra: string[] = []) {
  const { up, quiet, file } = await fixture();
  const bin = startRunningBin([
    'check',
    file,
    '--mode',
    mode,
    '--concurrency',
    '1',
    '--workers',
    '1',
    ...extra,
  ]);
  defer(bin.stop);
  // The silent site is reached only after both up sites are done (one check at a time, in order).
  expect(await waitFor(() => quiet.connections >= 1, 10_000)).toBe(true);
  expect(up.requests).toHaveLength(2);
  const sent = performance.now();
  bin.kill(signal);
  const how = await bin.exited;
  return { ...how, bin, elapsedMs: performance.now() - sent, up };
}

describe('check stopped by a signal (built bin)', () => {
  it.each(MODE_NAMES)(
    'mode %s: SIGINT prints the finished checks and the rest as unchecked, then exits 130',
    async (mode) => {
      const { code, signal, bin, elapsedMs } = await interrupted(mode, 'SIGINT');

      expect(signal).toBeNull();
      expect(code).toBe(130);
      expect(elapsedMs).toBeLessThan(3000);
      const lines = bin.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^STATE\s+SITE\s+TIME\s+DETAIL$/);
      expect(bin.stdout).toMatch(/^UNCHECKED\s+third\s+-\s+.*not checked: interrupted by SIGINT/m);
      expect(bin.stdout).toMatch(/^UNCHECKED\s+fourth\s+-\s+.*not checked: interrupted by SIGINT/m);
      expect(bin.stdout).toMatch(/^UP\s+first\s/m);
      expect(bin.stdout).toMatch(/^UP\s+second\s/m);
      expect(bin.stdout).toContain(`4 sites: 2 up, 0 down, 2 unchecked in`);
      expect(bin.stderr).toContain('interrupted by SIGINT: stopping and printing what finished');
      expect(bin.stderr).toContain('interrupted by SIGINT: 2 of 4 checked, 2 unchecked');
      // Gone, not lingering behind closed pipes; no worker process or thread left either.
      expect(alive(bin.pid)).toBe(false);
    },
  );

  it('SIGTERM with --json: one document with the finished results and the rest unchecked, exit 143', async () => {
    const { code, bin, up } = await interrupted('async', 'SIGTERM', ['--json']);

    expect(code).toBe(143);
    const doc = JSON.parse(bin.stdout);
    expect(doc.summary).toEqual({ total: 4, up: 2, down: 0, unchecked: 2 });
    expect(
      doc.results.map((r: { name: string; ok: boolean | null; kind: string }) => [r.name, r.ok, r.kind]),
    ).toEqual([
      ['first', true, 'ok'],
      ['second', true, 'ok'],
      ['third', null, 'unchecked'],
      ['fourth', null, 'unchecked'],
    ]);
    expect(doc.results[2]).toMatchObject({
      status: null,
      error: 'not checked: interrupted by SIGTERM',
      attempts: 0,
      durationMs: 0,
    });
    expect(doc.results[0].url).toBe(`${up.url}/a`);
    expect(bin.stderr).toContain('interrupted by SIGTERM: 2 of 4 checked, 2 unchecked');
  });

  it('a signal before anything finished still prints every site, all unchecked', async () => {
    const quiet = await raw(silent());
    const file = await config([`${quiet.url}/x`, `${quiet.url}/y`]);
    const bin = startRunningBin(['check', file, '--json']);
    defer(bin.stop);
    expect(await waitFor(() => quiet.connections >= 2, 10_000)).toBe(true);
    bin.kill('SIGINT');

    expect((await bin.exited).code).toBe(130);
    const doc = JSON.parse(bin.stdout);
    expect(doc.summary).toEqual({ total: 2, up: 0, down: 0, unchecked: 2 });
    // Not "no site answered": nothing was checked, so nothing failed.
    expect(doc.results.every((r: { kind: string }) => r.kind === 'unchecked')).toBe(true);
  });
});
