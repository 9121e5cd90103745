import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AbortedError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import type { Site } from '../core/site.js';
import { createRedactor, redactUrl } from '../util/redact.js';
import { longestTimeout } from './context.js';
import type { FromWorker, ToWorker } from './pool-protocol.js';
import type { SweepContext } from './types.js';

/** One worker as the coordinator sees it, whether a thread or a process. */
export interface WorkerLink {
  id: string;
  send(msg: ToWorker): void;
  onMessage(handler: (msg: FromWorker) => void): void;
  /** Called once when the worker is gone, expectedly or not. */
  onExit(handler: (reason: string) => void): void;
  /** Stop it now (terminate the thread, SIGKILL the process). */
  kill(): void;
}

export type SpawnWorker = (script: string) => WorkerLink;

/**
 * The worker entry as JavaScript. Tests run the TypeScript sources, and neither a worker thread nor a
 * forked process can start a .ts file, so from src/ the built copy in dist/ is used (npm test builds).
 */
export function workerScript(): string {
  const here = fileURLToPath(new URL('./pool-worker.js', import.meta.url));
  if (existsSync(here)) return here;
  return here.replace(
    /([/\\])src([/\\])strategies([/\\])pool-worker\.js$/,
    '$1dist$2strategies$3pool-worker.js',
  );
}

/** A worker is gone once, however many of 'error' and 'exit' say so. */
function exitOnce() {
  let exited = false;
  const handlers: Array<(reason: string) => void> = [];
  return {
    exit(reason: string) {
      if (exited) return;
      exited = true;
      for (const h of handlers) h(reason);
    },
    onExit(handler: (reason: string) => void) {
      handlers.push(handler);
    },
  };
}

export const spawnThread: SpawnWorker = (script) => {
  const worker = new Worker(script);
  const { exit, onExit } = exitOnce();
  worker.on('error', (err) => exit(`thread error: ${err.message}`));
  worker.on('exit', (code) => exit(`thread exited with code ${code}`));
  return {
    id: `thread ${worker.threadId}`,
    send: (msg) => worker.postMessage(msg),
    onMessage: (handler) => worker.on('message', handler),
    onExit,
    kill: () => void worker.terminate(),
  };
};

export const spawnProcess: SpawnWorker = (script) => {
  // JSON over IPC; no inherited --inspect or loader flags; output goes where ours goes.
  const child: ChildProcess = fork(script, [], {
    serialization: 'json',
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { exit, onExit } = exitOnce();
  child.on('error', (err) => exit(`process error: ${err.message}`));
  child.on('exit', (code, signal) => exit(`process ${child.pid} exited (${signal ?? `code ${code}`})`));
  return {
    id: `process ${child.pid}`,
    send: (msg) => {
      if (child.connected) child.send(msg);
    },
    onMessage: (handler) => child.on('message', (m) => handler(m as FromWorker)),
    onExit,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
};

export interface PoolOptions {
  workers: number;
  spawn: SpawnWorker;
}

interface Slot {
  link: WorkerLink;
  share: number;
  assigned: Set<number>;
  stopping: boolean;
}

/** A site that crashed this many workers is reported down instead of being handed out again. */
const MAX_CRASHES_PER_SITE = 2;
const STOP_GRACE_MS = 2000;

/** Split `total` into `parts` whole shares differing by at most one; no zero shares. */
export function shares(total: number, parts: number): number[] {
  const n = Math.max(1, Math.min(parts, total));
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

/**
 * Run a sweep over a pool of workers. Sites wait in one queue and go out in small batches; each
 * worker holds at most its share of the concurrency plus one batch, so a slow stretch of the list
 * never leaves the other workers idle. A worker that dies has its unfinished sites put back at the
 * front of the queue and is replaced; no site is ever missing from the results.
 */
export function runPool(sites: readonly Site[], ctx: SweepContext, opts: PoolOptions): Promise<Result[]> {
  const results = new Array<Result | undefined>(sites.length);
  const crashes = new Map<number, number>();
  const queue: number[] = sites.map((_s, i) => i);
  const slots = new Set<Slot>();
  const script = workerScript();
  let remaining = sites.length;
  let restartsLeft = opts.workers * 2 + 2;
  let finished = false;

  return new Promise<Result[]>((resolve, reject) => {
    const stopAll = (): Promise<void> => {
      const exits = [...slots].map(
        (slot) =>
          new Promise<void>((done) => {
            slot.stopping = true;
            slot.link.onExit(() => done());
            slot.link.send({ type: 'stop' });
            setTimeout(() => {
              slot.link.kill();
              done();
            }, STOP_GRACE_MS).unref();
          }),
      );
      return Promise.all(exits).then(() => undefined);
    };
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      ctx.signal?.removeEventListener('abort', onAbort);
      if (err) {
        // Aborted: no waiting for checks in flight.
        for (const slot of slots) {
          slot.stopping = true;
          slot.link.kill();
        }
        reject(err);
        return;
      }
      stopAll().then(() => resolve(results as Result[]), reject);
    };
    const onAbort = () => finish(new AbortedError());

    const record = (index: number, result: Result) => {
      if (results[index] !== undefined) return;
      results[index] = result;
      remaining--;
      ctx.onResult?.(result, index);
      if (remaining === 0) finish();
    };

    const batchSize = (slot: Slot) => Math.max(1, Math.min(25, Math.ceil(slot.share / 4)));
    const feed = (slot: Slot) => {
      const credit = slot.share + batchSize(slot);
      while (!slot.stopping && queue.length > 0 && slot.assigned.size < credit) {
        const items: Array<{ index: number; site: Site }> = [];
        while (items.length < batchSize(slot) && queue.length > 0 && slot.assigned.size < credit) {
          const index = queue.shift() as number;
          slot.assigned.add(index);
          items.push({ index, site: sites[index] as Site });
        }
        slot.link.send({ type: 'batch', items });
      }
    };

    const start = (share: number) => {
      const link = opts.spawn(script);
      const slot: Slot = { link, share, assigned: new Set(), stopping: false };
      slots.add(slot);
      ctx.onWorkerStart?.(link.id);
      link.onMessage((msg) => {
        if (msg.type === 'result') {
          slot.assigned.delete(msg.index);
          record(msg.index, msg.result);
          feed(slot);
        } else if (msg.type === 'stopped' && msg.usage) {
          ctx.onWorkerUsage?.(msg.usage);
        }
      });
      link.onExit((reason) => {
        slots.delete(slot);
        if (slot.stopping || finished) return;
        onCrash(slot, reason);
      });
      link.send({
        type: 'init',
        options: {
          concurrency: share,
          userAgent: ctx.userAgent,
          secrets: ctx.secrets,
          retryDelayMs: ctx.retryDelayMs,
          connectTimeoutMs: ctx.connectTimeoutMs ?? longestTimeout(sites),
          ca: ctx.ca,
        },
      });
      feed(slot);
    };

    const onCrash = (slot: Slot, reason: string) => {
      // Unfinished sites go back to the front of the queue, unless they keep killing workers.
      const unfinished = [...slot.assigned].sort((a, b) => a - b);
      const again: number[] = [];
      for (const index of unfinished) {
        const count = (crashes.get(index) ?? 0) + 1;
        crashes.set(index, count);
        if (count >= MAX_CRASHES_PER_SITE)
          record(index, crashedResult(sites[index] as Site, count, reason, ctx.secrets));
        else again.push(index);
      }
      queue.unshift(...again);
      if (finished) return;
      if (restartsLeft > 0) {
        restartsLeft--;
        start(slot.share);
      }
      if (slots.size === 0) {
        for (const index of queue.splice(0))
          record(index, crashedResult(sites[index] as Site, 0, reason, ctx.secrets));
        return;
      }
      for (const s of slots) feed(s);
    };

    if (ctx.signal?.aborted) return onAbort();
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    if (sites.length === 0) return resolve([]);
    for (const share of shares(ctx.concurrency, opts.workers)) start(share);
  });
}

function crashedResult(site: Site, crashes: number, reason: string, secrets: string[]): Result {
  return {
    url: createRedactor(secrets)(redactUrl(site.url)),
    name: site.name,
    ok: false,
    status: null,
    method: site.method,
    kind: 'protocol',
    error:
      crashes > 0
        ? `not checked: the check crashed ${crashes} worker(s) (${reason})`
        : `not checked: no worker left to run it (${reason})`,
    attempts: 0,
    redirects: 0,
    timings: { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, totalMs: 0 },
    durationMs: 0,
    checkedAt: new Date().toISOString(),
  };
}
