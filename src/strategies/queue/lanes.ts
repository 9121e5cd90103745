import { majority } from '../../core/locations.js';
import type { Site } from '../../core/site.js';

/**
 * Which sites each queue of a sweep gets. Without locations: one lane, the plain queue, every site (as
 * queue mode always was). With locations: one lane per location, each with the sites checked from there
 * (a site's own `locations` narrow the sweep's set), so every site is checked once from each location.
 */

export interface LanePlan {
  /** Undefined: the plain queue, without locations. */
  location?: string;
  /** Indexes of the sites this lane checks, in config order. */
  indexes: number[];
}

export interface LocationPlan {
  lanes: LanePlan[];
  /** Null without locations; else per site, the locations it is checked from. */
  siteLocations: string[][] | null;
  quorum: number;
}

export function planLanes(
  sites: readonly Site[],
  locations: readonly string[] | undefined,
  quorum: number | undefined,
): LocationPlan {
  if (locations === undefined || locations.length === 0) {
    return { lanes: [{ indexes: sites.map((_, i) => i) }], siteLocations: null, quorum: 1 };
  }
  const siteLocations = sites.map((site) =>
    site.locations === undefined ? [...locations] : locations.filter((l) => site.locations?.includes(l)),
  );
  const lanes = locations.map((location) => ({
    location,
    indexes: siteLocations.flatMap((own, i) => (own.includes(location) ? [i] : [])),
  }));
  return { lanes, siteLocations, quorum: quorum ?? majority(locations.length) };
}
