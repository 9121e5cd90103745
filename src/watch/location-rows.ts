import type { Result } from '../core/result.js';
import type { LocationRow } from '../store/location-results.js';

/** What each location saw of a site, as the store keeps it beside the combined verdict. */
export function locationRows(result: Result): LocationRow[] {
  return (result.locations ?? []).map((l) => ({
    location: l.location,
    ok: l.ok,
    status: l.status,
    kind: l.kind,
    totalMs: l.timings.totalMs,
  }));
}
