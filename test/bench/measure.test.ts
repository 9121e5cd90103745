import { describe, expect, it } from 'vitest';
import { measureProcess, parseTimeOutput } from '../../src/bench/measure.js';
import { AbortedError } from '../../src/core/errors.js';

/** A Node one-liner that spins until it has used `ms` of user CPU, then exits with `code`. */
const burn = (ms: number, code = 0) =>
  `const t = process.cpuUsage(); while (process.cpuUsage(t).user < ${ms * 1000}) {} process.exitCode = ${code};`;

// Generous bounds: on a shared 2-core machine a Node start-up alone can take seconds.
describe('whole-process measurement (GNU time around the child)', { timeout: 120_000 }, () => {
  it('counts the CPU a child burns, start-up included, and its peak RSS', async () => {
    const run = await measureProcess(process.execPath, ['-e', burn(250)], { timeoutMs: 60_000 });
    expect(run.code).toBe(0);
    expect(run.cpuMs).toBeGreaterThanOrEqual(200);
    expect(run.userMs).toBeGreaterThanOrEqual(200);
    // Node itself is tens of MB resident; a zero here would mean the RSS was not read.
    expect(run.maxRssMb).toBeGreaterThan(10);
  });

  it('counts the CPU of the processes the child started and waited for', async () => {
    const parent = `require('node:child_process').execFileSync(process.execPath, ['-e', ${JSON.stringify(burn(250))}]);`;
    const run = await measureProcess(process.execPath, ['-e', parent], { timeoutMs: 60_000 });
    expect(run.code).toBe(0);
    expect(run.cpuMs).toBeGreaterThanOrEqual(200);
  });

  it('sees a peak RSS the child reached and left', async () => {
    const grow = 'let b = Buffer.alloc(300 * 2 ** 20, 1); b = null; globalThis.gc?.();';
    const run = await measureProcess(process.execPath, ['-e', grow], { timeoutMs: 60_000 });
    expect(run.maxRssMb).toBeGreaterThanOrEqual(300);
  });

  it("passes the child's exit code, stdout and input through", async () => {
    const echo = "process.stdin.on('data', (d) => process.stdout.write(d)); process.exitCode = 3;";
    const run = await measureProcess(process.execPath, ['-e', echo], { timeoutMs: 60_000, input: 'hello' });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('hello');
  });

  it('stops the child and what it started on abort, and rejects', async () => {
    const controller = new AbortController();
    const started = measureProcess(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], {
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 300);
    const t0 = performance.now();
    await expect(started).rejects.toBeInstanceOf(AbortedError);
    expect(performance.now() - t0).toBeLessThan(30_000);
  });

  it('reads the last line GNU time wrote, after a note about a signal', () => {
    expect(parseTimeOutput('Command terminated by signal 9\nUS_TIME 1.25 0.50 81234\n')).toEqual({
      userMs: 1250,
      sysMs: 500,
      maxRssKb: 81234,
    });
    expect(() => parseTimeOutput('')).toThrow(/no measurement/);
  });
});
