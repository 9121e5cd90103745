import { availableParallelism } from 'node:os';
import { AbortedError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import type { Site } from '../core/site.js';
import { createRedactor, redactUrl } from '../util/redact.js';
import { type SpawnWorker, spawnProcess, spawnThread, type WorkerLink, workerScript } from './pool-links.js';
import type { SweepContext, SweepOptions } from './types.js';

export type WorkerKind = 'thread' | 'process';

const SPAWN: Record<WorkerKind, SpawnWorker> = { thread: spawnThread, process: spawnProcess };

interface Slot {
  link: WorkerLink;
  share: number;
  /** The sites of the current sweep it holds. */
  assigned: Set<number>;
  stopping: boolean;
  /** The options it was last given (JSON), so that a sweep like the last one sends none. */
  options: string | null;
}

/** One sweep over the pool, from its first batch to its last result. */
interface Sweep {
  id: number;
  sites: readonly Site[];
  ctx: SweepContext;
  options: Omit<SweepOptions, 'concurrency'>;
  results: Array<Result | undefined>;
  remaining: number;
  queue: number[];
  crashes: Map<number, number>;
  restartsLeft: number;
  end(err?: Error): void;
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
 * Worker threads or processes that run sweeps. Sites wait in one queue and go out in small batches;
 * each worker holds at most its share of the concurrency plus one batch, so a slow stretch of the list
 * never leaves the other workers idle. A worker that dies has its unfinished sites put back at the front
 * of the queue and is replaced; no site is ever missing from the results.
 *
 * The workers outlive a sweep: `watch` keeps one pool from its first sweep to its shutdown (starting
 * workers, loading the probe in each, costs more than a short sweep). One that died between sweeps is
 * replaced when the next one starts; `close` stops them all and resolves once every one has exited.
 */
export class WorkerPool {
  readonly #spawn: SpawnWorker;
  readonly #script = workerScript();
  readonly #slots = new Set<Slot>();
  /** Every worker not yet exited, those being stopped too: `close` waits for them all. */
  readonly #exits = new Set<Promise<void>>();
  #sweep: Sweep | null = null;
  #sweeps = 0;
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;
  #onUsage: SweepContext['onWorkerUsage'];

  constructor(kind: WorkerKind | SpawnWorker) {
    this.#spawn = typeof kind === 'function' ? kind : SPAWN[kind];
  }

  /** One sweep at a time: a second waits for the first to end. */
  run(sites: readonly Site[], ctx: SweepContext): Promise<Result[]> {
    const next = this.#tail.then(() => this.#runOne(sites, ctx));
    this.#tail = next.catch(() => {});
    return next;
  }

  /** Stops every worker (each finishes nothing more: it is between sweeps) and waits for their exits. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#tail;
    this.#stop([...this.#slots]);
    await Promise.all(this.#exits);
  }

  #runOne(sites: readonly Site[], ctx: SweepContext): Promise<Result[]> {
    if (this.#closed || ctx.signal?.aborted) return Promise.reject(new AbortedError());
    if (sites.length === 0) return Promise.resolve([]);
    this.#onUsage = ctx.onWorkerUsage;
    const missing = this.#reshape(shares(ctx.concurrency, ctx.workers ?? availableParallelism()));
    return new Promise<Result[]>((resolve, reject) => {
      const onAbort = () => sweep.end(new AbortedError());
      const sweep: Sweep = {
        id: ++this.#sweeps,
        sites,
        ctx,
        options: {
          userAgent: ctx.userAgent,
          secrets: ctx.secrets,
          retryDelayMs: ctx.retryDelayMs,
          ca: ctx.ca,
          dnsServers: ctx.dnsServers,
          keepTlsSessions: ctx.keepTlsSessions,
        },
        results: new Array<Result | undefined>(sites.length),
        remaining: sites.length,
        queue: sites.map((_s, i) => i),
        crashes: new Map(),
        restartsLeft: (this.#slots.size + missing.length) * 2 + 2,
        end: (err) => {
          if (this.#sweep !== sweep) return;
          this.#sweep = null;
          ctx.signal?.removeEventListener('abort', onAbort);
          for (const slot of this.#slots) slot.assigned.clear();
          if (err) {
            // Aborted: no waiting for checks in flight; the next sweep starts new workers.
            for (const slot of this.#slots) {
              slot.stopping = true;
              slot.link.kill();
            }
            this.#slots.clear();
            reject(err);
            return;
          }
          for (const slot of this.#slots) slot.link.hold(false);
          resolve(sweep.results as Result[]);
        },
      };
      this.#sweep = sweep;
      ctx.signal?.addEventListener('abort', onAbort, { once: true });
      for (const slot of this.#slots) this.#begin(slot, sweep);
      for (const share of missing) this.#start(share, sweep);
    });
  }

  /**
   * Keeps the workers whose share of the concurrency is still wanted and returns the shares to start.
   * Another split (other --concurrency or --workers) stops them all and starts afresh.
   */
  #reshape(wanted: number[]): number[] {
    const missing = [...wanted];
    for (const slot of this.#slots) {
      const at = missing.indexOf(slot.share);
      if (at === -1) {
        this.#stop([...this.#slots]);
        return [...wanted];
      }
      missing.splice(at, 1);
    }
    return missing;
  }

  #start(share: number, sweep: Sweep): void {
    const link = this.#spawn(this.#script);
    const slot: Slot = { link, share, assigned: new Set(), stopping: false, options: null };
    this.#slots.add(slot);
    const exited = new Promise<void>((done) => link.onExit(() => done()));
    this.#exits.add(exited);
    void exited.then(() => this.#exits.delete(exited));
    sweep.ctx.onWorkerStart?.(link.id);
    link.onMessage((msg) => {
      const current = this.#sweep;
      if (msg.type === 'result') {
        // A result of an earlier sweep (ended by an abort) is nobody's now.
        if (current === null || msg.sweep !== current.id) return;
        slot.assigned.delete(msg.index);
        this.#record(current, msg.index, msg.result);
        this.#feed(slot);
      } else if (msg.type === 'stopped' && msg.usage) {
        this.#onUsage?.(msg.usage);
      }
    });
    link.onExit((reason) => {
      this.#slots.delete(slot);
      const current = this.#sweep;
      // Between sweeps, the next one starts a replacement.
      if (slot.stopping || current === null) return;
      this.#onCrash(current, slot, reason);
    });
    this.#begin(slot, sweep);
  }

  /** The slot takes part in `sweep`: told its options if they changed, then fed. */
  #begin(slot: Slot, sweep: Sweep): void {
    slot.link.hold(true);
    const options: SweepOptions = { ...sweep.options, concurrency: slot.share };
    const text = JSON.stringify(options);
    if (slot.options !== text) {
      slot.link.send({ type: 'init', options });
      slot.options = text;
    }
    this.#feed(slot);
  }

  #feed(slot: Slot): void {
    const sweep = this.#sweep;
    if (sweep === null) return;
    const batch = Math.max(1, Math.min(25, Math.ceil(slot.share / 4)));
    const credit = slot.share + batch;
    while (!slot.stopping && sweep.queue.length > 0 && slot.assigned.size < credit) {
      const items: Array<{ index: number; site: Site }> = [];
      while (items.length < batch && sweep.queue.length > 0 && slot.assigned.size < credit) {
        const index = sweep.queue.shift() as number;
        slot.assigned.add(index);
        items.push({ index, site: sweep.sites[index] as Site });
      }
      slot.link.send({ type: 'batch', sweep: sweep.id, items });
    }
  }

  #record(sweep: Sweep, index: number, result: Result): void {
    if (sweep.results[index] !== undefined) return;
    sweep.results[index] = result;
    sweep.remaining--;
    sweep.ctx.onResult?.(result, index);
    if (sweep.remaining === 0) sweep.end();
  }

  #onCrash(sweep: Sweep, slot: Slot, reason: string): void {
    // Unfinished sites go back to the front of the queue, unless they keep killing workers.
    const again: number[] = [];
    for (const index of [...slot.assigned].sort((a, b) => a - b)) {
      const count = (sweep.crashes.get(index) ?? 0) + 1;
      sweep.crashes.set(index, count);
      if (count >= MAX_CRASHES_PER_SITE)
        this.#record(sweep, index, crashedResult(sweep, index, count, reason));
      else again.push(index);
    }
    sweep.queue.unshift(...again);
    if (this.#sweep !== sweep) return;
    if (sweep.restartsLeft > 0) {
      sweep.restartsLeft--;
      this.#start(slot.share, sweep);
    }
    if (this.#slots.size === 0) {
      for (const index of sweep.queue.splice(0))
        this.#record(sweep, index, crashedResult(sweep, index, 0, reason));
      return;
    }
    for (const s of this.#slots) this.#feed(s);
  }

  /** Asks each to stop (it sends its usage and exits); kills one that has not within the grace. */
  #stop(slots: Slot[]): void {
    for (const slot of slots) {
      this.#slots.delete(slot);
      slot.stopping = true;
      slot.link.hold(true);
      slot.link.send({ type: 'stop' });
      const timer = setTimeout(() => slot.link.kill(), STOP_GRACE_MS);
      timer.unref();
      slot.link.onExit(() => clearTimeout(timer));
    }
  }
}

/** One sweep on a pool of its own, stopped when the sweep ends (`check`, `bench`). */
export async function runPool(
  sites: readonly Site[],
  ctx: SweepContext,
  kind: WorkerKind | SpawnWorker,
): Promise<Result[]> {
  const pool = new WorkerPool(kind);
  try {
    return await pool.run(sites, ctx);
  } finally {
    await pool.close();
  }
}

function crashedResult(sweep: Sweep, index: number, crashes: number, reason: string): Result {
  const site = sweep.sites[index] as Site;
  return {
    url: createRedactor(sweep.ctx.secrets)(redactUrl(site.url)),
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
