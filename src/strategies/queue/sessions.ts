import type { ProbeContext } from '../../probe/context.js';
import { openProbeContext } from '../context.js';
import type { BatchOptions } from './protocol.js';

interface Entry {
  session: ReturnType<typeof openProbeContext>;
  users: number;
  idle: NodeJS.Timeout | null;
}

/** The next batch of a sweep usually follows within milliseconds; a sweep idle this long is over here. */
const IDLE_CLOSE_MS = 2000;

/**
 * One probe context (HttpClient) per sweep in a worker, as each pooled-mode worker keeps one
 * per sweep: the batches of a sweep share it, and it is closed once no batch of the sweep is running.
 */
export class ProbeSessions {
  readonly #open = new Map<string, Entry>();
  readonly #concurrency: number;

  constructor(concurrency: number) {
    this.#concurrency = concurrency;
  }

  acquire(sweep: string, options: BatchOptions): ProbeContext {
    let entry = this.#open.get(sweep);
    if (!entry) {
      entry = {
        // Secrets are masked per batch (see the worker), so none are given here.
        session: openProbeContext({ ...options, secrets: [], concurrency: this.#concurrency }),
        users: 0,
        idle: null,
      };
      this.#open.set(sweep, entry);
    }
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = null;
    entry.users++;
    return entry.session.probeCtx;
  }

  release(sweep: string): void {
    const entry = this.#open.get(sweep);
    if (!entry) return;
    entry.users--;
    if (entry.users > 0) return;
    entry.idle = setTimeout(() => {
      this.#open.delete(sweep);
      void entry.session.close();
    }, IDLE_CLOSE_MS);
    entry.idle.unref();
  }

  async closeAll(): Promise<void> {
    const entries = [...this.#open.values()];
    this.#open.clear();
    for (const entry of entries) if (entry.idle) clearTimeout(entry.idle);
    await Promise.all(entries.map((entry) => entry.session.close()));
  }
}
