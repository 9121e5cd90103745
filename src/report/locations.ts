import { listWords } from '../core/locations.js';
import type { Result } from '../core/result.js';

/**
 * What the reports say of multi-location sweeps: which locations see a site down (the verdict's message
 * says it for a down site; an up site needs the mark), and each location that gave no result, by name.
 */

/** ", down from ap-south (below the quorum)" for an up site some locations see down; '' otherwise. */
export function regionalMark(r: Result): string {
  if (r.ok !== true || r.locations === undefined) return '';
  const down = r.locations.filter((l) => l.ok === false).map((l) => l.location);
  return down.length === 0 ? '' : `, down from ${listWords(down)} (below the quorum)`;
}
