import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { KEY_PREFIX } from '../../src/strategies/queue/protocol.js';
import { binPath, repoRoot } from '../helpers/processes.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

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

/** `env` adds to (or, with '', blanks) the test's environment: a worker of a location behind a proxy. */
export function startWorker(
  redisUrl: string,
  args: string[] = [],
  env: Record<string, string> = {},
): WorkerProcess {
  const child: ChildProcess = spawn(
    process.execPath,
    [binPath, 'worker', '--redis', redisUrl, ...FAST_STALLS, ...args],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } },
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

/** The values of a RESP reply: bulk strings and integers, in order. */
function values(reply: string): string[] {
  return reply
    .split('\r\n')
    .filter((line) => line !== '' && !line.startsWith('*') && !line.startsWith('$'))
    .map((line) => (line.startsWith(':') ? line.slice(1) : line));
}

/**
 * The one sweep under way, as Redis holds it: results the workers stored, and how many of them still wait
 * for the coordinator to take them (0 once it has them all). Null when no sweep is open.
 */
export async function sweepState(redis: TestRedis): Promise<{ stored: number; waiting: number } | null> {
  const [results] = values(await redis.command('KEYS', `${KEY_PREFIX}:sweep:*:results`));
  if (results === undefined) return null;
  const [stored] = values(await redis.command('HLEN', results));
  const [waiting] = values(await redis.command('LLEN', results.replace(/:results$/, ':arrived')));
  return { stored: Number(stored), waiting: Number(waiting) };
}

/**
 * One redis-server for the test file, emptied after each test, and `worker` processes stopped after each
 * test: `redis()` is the server once started; `worker(args)` starts one that the cleanup stops.
 */
export function useQueue(): {
  redis(): TestRedis;
  worker(args?: string[], env?: Record<string, string>): WorkerProcess;
} {
  let server: TestRedis | undefined;
  const started: WorkerProcess[] = [];
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((w) => w.stop(2000)));
    await server?.command('FLUSHALL');
  });
  const redis = () => {
    if (server === undefined) throw new Error('redis-server is not started yet (use it inside a test)');
    return server;
  };
  return {
    redis,
    worker(args = [], env = {}) {
      const w = startWorker(redis().url, args, env);
      started.push(w);
      return w;
    },
  };
}
