import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BLACKBOX_BIN } from '../../src/bench/blackbox.js';
import { repoRoot, runNode } from '../helpers/processes.js';

// The built harness end to end (`npm test` builds first; alone, run `npm run build`): every contender a
// whole process against the local fixture, its figures in the markdown tables on stdout.
const script = `${repoRoot}dist/bench/sweep-bench.js`;

/** The detail rows of the tables: contender label -> its cells. */
function rows(stdout: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length === 13 && /^\d+$/.test(cells[2] ?? ''))
      found.set(cells[1] as string, cells.slice(2, -1));
  }
  return found;
}

describe('npm run bench (built harness)', { timeout: 180_000 }, () => {
  it('measures every contender on https from the local CA: each trusts it and finds every site up', async () => {
    const contenders = [
      'bare',
      'python',
      'undici',
      'check',
      ...(existsSync(BLACKBOX_BIN) ? ['blackbox'] : []),
    ];
    const run = await runNode(
      script,
      ['--sites', '12', '--latency', '0', '--https', '--repeat', '1', '--contenders', contenders.join(',')],
      { timeoutMs: 120_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    const table = rows(run.stdout);
    expect(table.size).toBe(contenders.length);
    for (const [label, cells] of table) {
      // runs, wall, vs floor, checks/s, CPU, CPU per check, vs bare, peak RSS, median response, up
      expect(cells[9], label).toBe('12/12');
      expect(Number.parseFloat((cells[4] as string).replace(/,/g, '')), label).toBeGreaterThan(0);
      expect(Number.parseFloat(cells[7] as string), label).toBeGreaterThan(0);
    }
    expect(run.stdout).toContain('| bare `node:https` loop | 1 |');
    expect(run.stdout).toMatch(/^\| https, 0 ms, N=12: .*\| \*\*[\d.]+ ms \([\d.]+x\)/m);
    expect(run.stderr).toContain('bench: https-0ms-12 round 1/1 check:');
  });

  it('says which workload names exist when --only names an unknown one (exit 1)', async () => {
    const run = await runNode(script, ['--only', 'bogus'], { timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('unknown workload in --only bogus; known: http-0ms-2000');
    expect(run.stderr).toMatch(/known: .*, fast\n/);
  });

  it('--only fast runs the fast sites alone: both cases beside curl, the phases adding up, no workload', async () => {
    const run = await runNode(script, ['--only', 'fast', '--repeat', '1'], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('bench: fast sites...');
    expect(run.stderr).not.toMatch(/bench: (http|https|names)-/);
    const cases = run.stdout
      .split('\n')
      .filter((line) => /^\| (one site alone|100 sites in one sweep)/.test(line));
    expect(cases).toHaveLength(2);
    expect(cases[0]).toMatch(/\| 0 of 1 \|$/);
    expect(cases[1]).toMatch(/\| 0 of 100 \|$/);
  });
});
