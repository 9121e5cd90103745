/**
 * Multi-location queue mode: each site is checked once from every location (a set of `worker
 * --location NAME` processes) and the verdict is decided by a quorum (docs/QUEUE.md, "Locations").
 */

/** A location's name: what `worker --location` takes and `"locations"` lists. */
export const LOCATION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export const LOCATION_NAME_RULE =
  'letters, digits, "-", "_" and "." (starting with a letter or digit, at most 63), such as "eu-west"';

/** A location that gave no result for some of its checks in a sweep, and why. */
export interface MissingLocation {
  location: string;
  /** Checks of this location without a result. */
  missing: number;
  /** Why, in words: "no live worker (none connected for 5s)". */
  reason: string;
}

/** The locations of one multi-location sweep, said once per sweep (output, log, status page). */
export interface LocationsSummary {
  locations: string[];
  quorum: number;
  missing: MissingLocation[];
}

/** The default quorum: a majority of the locations. */
export function majority(locations: number): number {
  return Math.floor(locations / 2) + 1;
}

/** "a", "a and b", "a, b and c". */
export function listWords(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** One line per location that left checks without a result: said once per sweep. */
export function missingLocationLines(summary: LocationsSummary | undefined): string[] {
  return (summary?.missing ?? []).map(
    (m) =>
      `location ${m.location}: ${m.missing} check(s) without a result, counted as not answering: ${m.reason}`,
  );
}
