import { type ChildProcess, spawn } from 'node:child_process';
import { binPath, repoRoot } from '../../helpers/processes.js';
import { type Capture, capture } from './capture.js';

export interface DaemonProcess {
  child: ChildProcess;
  pid: number;
  stderr: Capture;
  stdout: Capture;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal by pid (no-op once it has exited). */
  signal(name: NodeJS.Signals): void;
  /** JSON log lines (with --log-format json) parsed. */
  logs(): Record<string, unknown>[];
}

const running = new Set<DaemonProcess>();

/** Starts `node bin/uptime-squirrel.js watch ...args` from the built dist (build first). */
export function spawnWatch(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): DaemonProcess {
  const child = spawn(process.execPath, [binPath, 'watch', ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = capture();
  const stdout = capture();
  child.stderr?.setEncoding('utf8').on('data', (t: string) => stderr.write(t));
  child.stdout?.setEncoding('utf8').on('data', (t: string) => stdout.write(t));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      done = true;
      running.delete(proc);
      resolve({ code, signal });
    });
  });
  const proc: DaemonProcess = {
    child,
    pid: child.pid as number,
    stderr,
    stdout,
    exited,
    signal(name) {
      if (done) return;
      try {
        process.kill(proc.pid, name);
      } catch {
        // Exited between the check and the kill.
      }
    },
    logs: () =>
      stderr
        .lines()
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
  running.add(proc);
  return proc;
}

/** Waits until the daemon has written `n` log lines matching `pattern`; rejects after `timeoutMs`. */
export async function waitForCount(
  proc: DaemonProcess,
  pattern: RegExp,
  n: number,
  timeoutMs = 5000,
): Promise<void> {
  await proc.stderr.waitUntil(
    (lines) => (lines.filter((l) => pattern.test(l)).length >= n ? true : undefined),
    `${n} lines matching ${pattern}`,
    timeoutMs,
  );
}

/** SIGKILLs every daemon a test left running (by pid) and waits for them to go. */
export async function killAll(): Promise<void> {
  const left = [...running];
  for (const proc of left) proc.signal('SIGKILL');
  await Promise.all(left.map((p) => p.exited));
}
