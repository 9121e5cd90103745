import { type ChildProcess, spawn } from 'node:child_process';
import { binPath, repoRoot } from '../helpers/processes.js';

/**
 * `uptime-squirrel worker` processes of the built bin, for the queue tests: short stall settings so a
 * killed worker's batch is taken over within about 3 s instead of 25 s.
 */
export interface WorkerProcess {
  pid: number;
  /** Everything the worker wrote to stderr so far (its log). */
  readonly log: string;
  /** Resolves once the worker says it is taking batches; rejects if it exits first. */
  ready: Promise<void>;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: string | null }>;
  /** SIGKILL now. */
  kill(): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it exited. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: string | null }>;
}

export const FAST_STALLS = ['--lock-duration', '2s', '--stalled-interval', '500ms'];

export function startWorker(redisUrl: string, args: string[] = []): WorkerProcess {
  const child: ChildProcess = spawn(
    process.execPath,
    [binPath, 'worker', '--redis', redisUrl, ...FAST_STALLS, ...args],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let log = '';
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      log += text;
      if (log.includes('taking batches from')) resolve();
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`worker exited before it was ready (${signal ?? code}):\n${log}`)),
    );
  });
  // Callers that never await `ready` must not see an unhandled rejection when the worker is stopped.
  ready.catch(() => {});
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid as number,
    get log() {
      return log;
    },
    ready,
    exited,
    kill: () => {
      if (alive()) child.kill('SIGKILL');
    },
    stop: async (graceMs = 8000) => {
      if (alive()) child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (alive()) child.kill('SIGKILL');
      }, graceMs);
      const how = await exited;
      clearTimeout(timer);
      return how;
    },
  };
}
