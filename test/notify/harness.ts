import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import type { DeliveryOptions } from '../../src/notify/options.js';
import { Notifications, type NotificationsDeps } from '../../src/notify/service.js';
import { type CommittedSweep, WatchStore } from '../../src/store/store.js';
import { siteKey } from '../../src/util/site-key.js';
import { transition } from '../../src/watch/transitions.js';

/** Short backoff so that retries happen within a test. */
export const FAST: DeliveryOptions = {
  sendTimeoutMs: 1000,
  retryFirstMs: 50,
  retryMaxMs: 200,
  expireAfterMs: 60_000,
};

export const siteUrl = (n: number) => `https://site-${n}.example.com/health`;

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

export function memoryLogger() {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string, fields?: Record<string, unknown>) =>
    lines.push({ level, message, fields });
  return {
    lines,
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    text: () => lines.map((l) => `${l.level} ${l.message}`).join('\n'),
  };
}

/** A config with `sites` sites (site-1 ... site-N, named "Site n") and the given channels and extras. */
export function configWith(
  channels: Record<string, unknown>,
  opts: { sites?: number; notify?: Record<number, string[]>; extra?: Record<string, unknown> } = {},
): Config {
  const sites = Array.from({ length: opts.sites ?? 3 }, (_, i) => {
    const n = i + 1;
    const notify = opts.notify?.[n];
    return { url: siteUrl(n), name: `Site ${n}`, ...(notify === undefined ? {} : { notify }) };
  });
  return parseConfig(JSON.stringify({ sites, channels, ...opts.extra }), 'sites.json', {});
}

/**
 * Whether the notifications went idle within `timeoutMs`: everything pending sent or given up on, no
 * retry due, no heartbeat in flight. After it, nothing more is sent until new rows come, so a test can
 * assert on what the receivers got, and that nothing more came. Never idle while a channel is in backoff.
 */
export async function idleWithin(notifications: Notifications, timeoutMs = 3000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([notifications.idle().then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A real database in `dir`, and sweeps committed the way the daemon commits them. */
export class TestStore {
  readonly store: WatchStore;
  /** Sweeps are dated from here, a minute apart, so that messages quote known times. */
  private sweptAt = Date.parse('2024-05-01T10:00:00Z');
  private readonly startedAt = Date.now();
  /** The notifications' clock: the same date, running in real time (for retries and expiry). */
  readonly clock = () => Date.parse('2024-05-01T10:00:00Z') + (Date.now() - this.startedAt);

  constructor(
    readonly file: string,
    store?: WatchStore,
  ) {
    this.store = store ?? WatchStore.open(file);
  }

  static in(dir: string): TestStore {
    return new TestStore(join(dir, 'watch.db'));
  }

  /** One sweep: sites with these numbers fail (HTTP 500), the others in `all` succeed. */
  sweep(failing: readonly number[], all: number, at?: number): CommittedSweep {
    this.sweptAt = at ?? this.sweptAt + 60_000;
    const now = this.sweptAt;
    const states = this.store.siteStates();
    const entries = Array.from({ length: all }, (_, i) => {
      const n = i + 1;
      const url = siteUrl(n);
      const key = siteKey(url);
      const ok = !failing.includes(n);
      const check = ok
        ? { ok, kind: 'ok' as const, status: 200, error: null }
        : { ok, kind: 'http-status' as const, status: 500, error: 'HTTP 500, expected 200-399' };
      const next = transition(
        states.get(key) ?? null,
        check,
        { failureThreshold: 1, successThreshold: 1, repeatAfter: null },
        now,
      );
      return {
        key,
        url,
        name: `Site ${n}`,
        result: { at: now, ok, status: check.status, kind: check.kind, totalMs: 12 },
        transition: next,
      };
    });
    return this.store.commitSweep({
      startedAt: now - 1000,
      finishedAt: now,
      sites: all,
      aborted: false,
      skippedTicks: 0,
      offline: false,
      entries,
      monitor: { offlineSince: null },
      monitorEvent: null,
    });
  }

  notifications(config: Config, overrides: Partial<NotificationsDeps> = {}) {
    const logger = memoryLogger();
    const notifications = new Notifications({
      outbox: this.store.outbox,
      config,
      logger,
      delivery: FAST,
      clock: this.clock,
      ...overrides,
    });
    return { notifications, logger };
  }

  close(): void {
    this.store.close();
  }
}
