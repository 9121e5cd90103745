/** Sweeps without a network: synthetic results recorded through the daemon's own recordSweep. */

import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { DEFAULT_OPTIONS, type Site } from '../../src/core/site.js';
import { type CommittedSweep, WatchStore } from '../../src/store/store.js';
import { redactUrl } from '../../src/util/redact.js';
import type { CoverOf } from '../../src/watch/cover.js';
import { DEFAULT_OFFLINE_RULE, type OfflineRule } from '../../src/watch/evaluate.js';
import { recordSweep } from '../../src/watch/sweep.js';
import { tempDir } from '../helpers/processes.js';
import { fakeResult } from '../helpers/results.js';

export function makeSite(url: string, extra: Partial<Site> = {}): Site {
  return { ...DEFAULT_OPTIONS, url, name: null, ...extra };
}

export function makeSites(n: number): Site[] {
  return Array.from({ length: n }, (_v, i) => makeSite(`http://site-${i}.example/`));
}

/** up (200), down with a response (503), down without any (connection refused), or not checked. */
export type Verdict = boolean | 'refused' | undefined;

export function makeResult(site: Site, verdict: true | false | 'refused', at: number, totalMs = 50): Result {
  const base = {
    name: site.name,
    timings: { dnsMs: 0, connectMs: 1, tlsMs: null, ttfbMs: totalMs - 1, totalMs },
    checkedAt: new Date(at).toISOString(),
  };
  if (verdict !== 'refused') return fakeResult(redactUrl(site.url), verdict, base);
  return fakeResult(redactUrl(site.url), false, {
    ...base,
    status: null,
    kind: 'refused',
    error: 'connection refused',
    timings: { dnsMs: 0, connectMs: null, tlsMs: null, ttfbMs: null, totalMs: 1 },
  });
}

/**
 * One sweep at `at`: verdicts[i] is true (up), false (down: HTTP 503), 'refused' (down without a
 * response) or undefined (not checked: aborted). `ms` gives each site's response time.
 */
export function sweep(
  store: WatchStore,
  sites: readonly Site[],
  verdicts: readonly Verdict[],
  at: number,
  opts: { ms?: (i: number) => number; aborted?: boolean; rule?: OfflineRule | null; cover?: CoverOf } = {},
): CommittedSweep {
  const results = sites.map((site, i) => {
    const ok = verdicts[i];
    return ok === undefined ? undefined : makeResult(site, ok, at + i, opts.ms?.(i) ?? 50);
  });
  return recordSweep(
    store,
    {
      sites,
      results,
      startedAt: at,
      finishedAt: at + sites.length + 10,
      aborted: opts.aborted ?? false,
      skippedTicks: 0,
    },
    opts.rule === undefined ? DEFAULT_OFFLINE_RULE : opts.rule,
    null,
    opts.cover,
  );
}

/** A fresh database file per test in a temporary folder, closed and removed after it. */
export function useTempStore(name = 'watch.db'): { store(): WatchStore; file(): string } {
  let dir: { path: string; cleanup: () => Promise<void> } | undefined;
  let store: WatchStore | undefined;
  let file = '';
  beforeEach(async () => {
    dir = await tempDir();
    file = join(dir.path, name);
    store = WatchStore.open(file);
  });
  afterEach(async () => {
    store?.close();
    await dir?.cleanup();
  });
  return {
    store: () => store as WatchStore,
    file: () => file,
  };
}
