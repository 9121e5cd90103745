import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortedError } from '../core/errors.js';

/**
 * Whole-process measurement, the way `/usr/bin/time` does it: the command runs under GNU time, which
 * forks it, waits for it with wait4() and writes the rusage the kernel returns. That rusage is the
 * child's own plus that of every descendant it waited for (its worker processes), start-up included:
 * nothing the child does to itself can hide from it. Node's child_process does not expose wait4's
 * rusage (process.resourceUsage() is this process's own), hence GNU time rather than a wrapper of ours;
 * scripts/ensure-bench-deps.sh installs it (Debian package `time`).
 *
 * - wall: from spawn to exit, measured here (GNU time's own %e has 10 ms steps);
 * - CPU: user + sys of the process tree (%U + %S, 10 ms steps: over a sweep of thousands, microseconds
 *   per check);
 * - peak RSS: ru_maxrss (%M), the largest resident set of any one process of the tree, not their sum.
 */

export const GNU_TIME = '/usr/bin/time';

export interface Measured {
  wallMs: number;
  userMs: number;
  sysMs: number;
  cpuMs: number;
  maxRssMb: number;
  /** The command's exit code; null when a signal ended it. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface MeasureOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to the command's stdin, which is then closed. */
  input?: string;
  /** Past it the whole process group is killed and the promise rejects. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Where the command's stderr goes: collected (default) or passed through to ours. */
  stderr?: 'collect' | 'inherit';
}

/** The format GNU time writes: user s, system s, max RSS KiB. */
const FORMAT = 'US_TIME %U %S %M';

export function parseTimeOutput(text: string): { userMs: number; sysMs: number; maxRssKb: number } {
  const line = text
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('US_TIME '));
  if (!line) throw new Error(`no measurement from ${GNU_TIME}: ${text.trim() || '(empty)'}`);
  const [, user, sys, rss] = line.split(' ');
  return { userMs: Number(user) * 1000, sysMs: Number(sys) * 1000, maxRssKb: Number(rss) };
}

/** Why the measurement cannot run here, or null when it can. */
export function measurementUnavailable(): string | null {
  return existsSync(GNU_TIME)
    ? null
    : `${GNU_TIME} (GNU time) is missing: run scripts/ensure-bench-deps.sh (apt-get install time)`;
}

/**
 * Run `command args` as a child and measure it from outside. Resolves whatever its exit code (the
 * caller judges it); rejects when it cannot start, on timeout, or when `signal` aborts (AbortedError).
 * The child leads a process group of its own, so a timeout or an abort stops GNU time, the command and
 * whatever the command started, by that group's id.
 */
export async function measureProcess(
  command: string,
  args: string[],
  opts: MeasureOptions,
): Promise<Measured> {
  const unavailable = measurementUnavailable();
  if (unavailable) throw new Error(unavailable);
  if (opts.signal?.aborted) throw new AbortedError();
  const out = join(tmpdir(), `us-bench-time-${process.pid}-${randomUUID()}.txt`);
  try {
    const run = await new Promise<Omit<Measured, 'userMs' | 'sysMs' | 'cpuMs' | 'maxRssMb'>>(
      (resolve, reject) => {
        const t0 = performance.now();
        const child = spawn(GNU_TIME, ['-f', FORMAT, '-o', out, '--', command, ...args], {
          env: opts.env ?? process.env,
          cwd: opts.cwd,
          detached: true,
          stdio: ['pipe', 'pipe', opts.stderr === 'inherit' ? 'inherit' : 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        let failure: Error | null = null;
        const killGroup = (sig: NodeJS.Signals) => {
          try {
            if (child.pid !== undefined) process.kill(-child.pid, sig);
          } catch {
            // The group is gone already.
          }
        };
        const timer = setTimeout(() => {
          failure = new Error(`${command} ${args.join(' ')} did not finish within ${opts.timeoutMs} ms`);
          killGroup('SIGKILL');
        }, opts.timeoutMs);
        const onAbort = () => {
          failure = new AbortedError();
          killGroup('SIGTERM');
        };
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        child.stdout?.setEncoding('utf8').on('data', (d: string) => {
          stdout += d;
        });
        child.stderr?.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
        });
        child.stdin?.on('error', () => {});
        child.stdin?.end(opts.input);
        child.once('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        // 'exit' for the wall time (GNU time exits right after wait4 returns), 'close' for all the output.
        let wallMs = 0;
        child.once('exit', () => {
          wallMs = performance.now() - t0;
        });
        child.once('close', (code) => {
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          if (failure) return reject(failure);
          // GNU time exits with the command's code, or 128 + the signal that ended it.
          resolve({ wallMs, code: code !== null && code < 128 ? code : null, stdout, stderr });
        });
      },
    );
    const usage = parseTimeOutput(await readFile(out, 'utf8'));
    return {
      ...run,
      userMs: usage.userMs,
      sysMs: usage.sysMs,
      cpuMs: usage.userMs + usage.sysMs,
      maxRssMb: usage.maxRssKb / 1024,
    };
  } finally {
    await rm(out, { force: true });
  }
}
