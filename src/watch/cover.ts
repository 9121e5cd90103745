/**
 * What covers each site at a check: the config's maintenance windows and the silences in the database
 * (read at every sweep). Sites are named by name, URL as written, or id, as in `statusPage.sites`.
 */

import { namesSite } from '../config/status-sections.js';
import type { Config } from '../config/types.js';
import type { Site } from '../core/site.js';
import type { Cover } from '../core/state.js';
import type { Silence } from '../store/silences.js';
import { siteIds } from '../util/site-id.js';
import { occurrenceAt } from '../util/window-time.js';

/** The cover of a site (one of the config's, by identity) at a time. */
export type CoverOf = (site: Site, at: number) => Cover;

const names = (list: readonly string[] | null, site: Site, id: string) =>
  list === null || list.some((entry) => namesSite(entry, site, id));

/**
 * The sites' ids, once per config: with per-site intervals a cover is made for every batch, each
 * second; computing the ids of 20,000 sites for each made every commit take seconds (bench:schedule).
 */
const idCache = new WeakMap<Config, Map<Site, string>>();
function idsOf(config: Config): Map<Site, string> {
  let ids = idCache.get(config);
  if (ids === undefined) {
    ids = new Map(siteIds(config.sites, config.secrets).map((id, i) => [config.sites[i] as Site, id]));
    idCache.set(config, ids);
  }
  return ids;
}

/** `zone`: the default time zone of recurring windows (--tz, else the config's; null: the system's). */
export function coverFor(config: Config, silences: readonly Silence[], zone: string | null): CoverOf {
  const ids = idsOf(config);
  return (site, at) => {
    const id = ids.get(site) ?? '';
    let window: Cover['window'] = null;
    for (const w of config.maintenance) {
      if (!names(w.sites, site, id)) continue;
      const occurrence = occurrenceAt(w.time, at, zone);
      if (occurrence !== null && (window === null || occurrence.end > window.end))
        window = { name: w.name, end: occurrence.end };
    }
    let silence: Cover['silence'] = null;
    for (const s of silences) {
      if (s.startsAt > at || s.endsAt <= at || !names(s.sites, site, id)) continue;
      if (silence === null || s.startsAt < silence.since) silence = { since: s.startsAt };
    }
    return { window, silence };
  };
}
