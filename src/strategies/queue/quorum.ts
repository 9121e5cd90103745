import { listWords } from '../../core/locations.js';
import type { LocationResult, Result } from '../../core/result.js';
import type { Site } from '../../core/site.js';
import { formatMs } from '../../util/time.js';
import { uncheckedResult } from '../unchecked.js';

/**
 * The verdict of a site checked from several locations (pure). Down when at least `quorum` locations see
 * it down; up when fewer do and at least `quorum` answered; otherwise unchecked, never up by default.
 * The verdict's fields are those of one location's result (the first down one, or the first up one);
 * `locations` keeps what every location saw, and the message says where.
 */

/** What one location gave for a site: its result, or why there is none. */
export interface LocationOutcome {
  location: string;
  result: Result | null;
  /** Why there is no result ("no live worker in ap-south"); unused when there is one. */
  reason: string;
}

function seen(o: LocationOutcome): LocationResult {
  const r = o.result;
  if (r === null) {
    return {
      location: o.location,
      ok: null,
      kind: 'unchecked',
      status: null,
      error: o.reason,
      timings: { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, totalMs: 0 },
    };
  }
  return {
    location: o.location,
    ok: r.ok,
    kind: r.kind,
    status: r.status,
    error: r.error,
    timings: r.timings,
  };
}

/** "200 in 180 ms" */
function upWords(r: Result): string {
  return `${r.status ?? 'up'} in ${formatMs(r.timings.totalMs)}`;
}

/** One location's failure in words: its message, or its kind when it has none. */
function failure(r: Result): string {
  return r.error ?? r.kind;
}

/** The down locations' failures: once when they agree, else each with its location. */
function failures(down: LocationOutcome[]): string {
  const texts = down.map((o) => failure(o.result as Result));
  if (texts.every((t) => t === texts[0])) return texts[0] ?? '';
  return down.map((o, i) => `${o.location}: ${texts[i]}`).join('; ');
}

/** "(ap-south sees it up: 200 in 180 ms; us-west gave no result)", or '' when every location saw it down. */
function aside(up: LocationOutcome[], silent: LocationOutcome[]): string {
  const parts = [
    ...up.map((o) => `${o.location} sees it up: ${upWords(o.result as Result)}`),
    ...silent.map((o) => `${o.location} gave no result`),
  ];
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

export function quorumVerdict(
  site: Site,
  outcomes: readonly LocationOutcome[],
  quorum: number,
  redact: (text: string) => string,
  now: Date,
): Result {
  const down = outcomes.filter((o) => o.result?.ok === false);
  const up = outcomes.filter((o) => o.result?.ok === true);
  const silent = outcomes.filter((o) => o.result === null);
  const locations = outcomes.map(seen);
  const downNames = listWords(down.map((o) => o.location));

  if (down.length >= quorum) {
    const base = down[0]?.result as Result;
    const error = `down from ${downNames}${aside(up, silent)}: ${failures(down)}`;
    return { ...base, ok: false, error, locations };
  }
  if (down.length + up.length >= quorum) {
    const base = up[0]?.result as Result;
    // Below the quorum: no alert, but said, so that a regional problem is not invisible.
    const regional =
      down.length === 0
        ? null
        : `down from ${downNames} only, below the quorum of ${quorum}: ${failures(down)}`;
    const note = [base.note ?? null, regional].filter((n) => n !== null).join('; ') || null;
    return { ...base, ok: true, note, locations };
  }
  const answered = down.length + up.length;
  const said = down.length === 0 ? '' : ` (down from ${downNames})`;
  const why = silent.map((o) => `${o.location}: ${o.reason}`).join('; ');
  const reason =
    `only ${answered} of ${outcomes.length} location(s) answered, fewer than the quorum of ${quorum}${said}` +
    (why === '' ? '' : `; ${why}`);
  return { ...uncheckedResult(site, reason, redact, now), locations };
}
