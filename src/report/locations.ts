import { listWords } from '../core/locations.js';
import type { Result } from '../core/result.js';
import type { SiteUptime } from '../store/uptime-report.js';

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

/** "100%" or "91.67%"; "-" when the location never answered. */
function pct(value: number | null): string {
  return value === null ? '-' : `${value.toFixed(value === 100 ? 0 : 2)}%`;
}

/** `report`: each location's uptime of each site, beside the combined one of the table above. */
export function locationUptimeLines(sites: readonly SiteUptime[]): string[] {
  const withLocations = sites.filter((s) => s.locations !== undefined && s.locations.length > 0);
  if (withLocations.length === 0) return [];
  const lines = ['', "Uptime by location (the table above is the quorum's verdict)"];
  for (const site of withLocations) {
    const each = (site.locations ?? []).map(
      (l) =>
        `${l.location} ${pct(l.uptimePct)} (${l.checks} check${l.checks === 1 ? '' : 's'}` +
        (l.unanswered > 0 ? `, ${l.unanswered} without a result` : '') +
        ')',
    );
    lines.push(`  ${site.name ?? site.url}: ${each.join(', ')}`);
  }
  return lines;
}
