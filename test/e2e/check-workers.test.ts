import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup.js';
import { silent } from '../helpers/hostile.js';
import { alive, childPids, waitFor } from '../helpers/proc-table.js';
import { binPath, repoRoot } from '../helpers/processes.js';

const { defer, raw, config } = useCleanup();

describe('check --mode processes (built bin), stopped by a signal', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s stops every worker process: none is left behind (exit %i)', async (sig, exitCode) => {
    const server = await raw(silent());
    const file = await config(Array.from({ length: 8 }, (_, i) => `${server.url}/${i}`));
    const child = spawn(process.execPath, [binPath, 'check', file, '--mode', 'processes', '--workers', '2'], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    defer(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const pid = child.pid as number;

    // Both workers are up and their checks are waiting on the silent server.
    expect(await waitFor(() => childPids(pid).length === 2 && server.connections >= 2, 8000)).toBe(true);
    const workers = childPids(pid);
    child.kill(sig);

    expect(await exited).toBe(exitCode);
    expect(await waitFor(() => workers.every((w) => !alive(w)), 3000)).toBe(true);
  });
});
