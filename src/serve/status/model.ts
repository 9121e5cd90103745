/**
 * What a status page shows, as plain data: the HTML page, `status.json` and the badges are all rendered
 * from one `StatusModel`, so they can never disagree. `status.json` is this document exactly (README,
 * "status.json"); keep the two in step.
 */

/** A site as the page says it: `degraded` is up but failing its latest checks (below its failureThreshold). */
export const SITE_STATES = ['up', 'degraded', 'down', 'unknown'] as const;
export type SiteState = (typeof SITE_STATES)[number];

export const BANNER_STATES = [
  'operational',
  'degraded',
  'partial-outage',
  'major-outage',
  'offline',
  'no-data',
] as const;
export type BannerState = (typeof BANNER_STATES)[number];

/** One UTC day of a site's history. */
export interface DayBucket {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  checks: number;
  failures: number;
  /** Successful checks / checks in percent (3 decimals); null on a day without checks (never shown as up). */
  uptimePct: number | null;
}

export interface StatusIncident {
  /** UTC ISO-8601. */
  start: string;
  /** null while open. */
  end: string | null;
  /** Up to `end`, or up to the model's `generatedAt` while open. */
  durationMs: number;
  /** The cause in words ("timeout: no answer within 10 s: waited for the response headers (headers timeout)"), already redacted. */
  cause: string;
}

export interface UptimeWindows {
  '24h': number | null;
  '7d': number | null;
  '30d': number | null;
  '90d': number | null;
}

export interface StatusSite {
  /** Stable public id (util/site-id.ts): used in badge URLs and metric labels. */
  id: string;
  /** The config's name, or the redacted URL when it has none. */
  name: string;
  /** The URL with credentials, secret query values and ${VAR} secrets redacted. */
  url: string;
  group: string | null;
  state: SiteState;
  /** When the current state began (UTC ISO-8601); null when never decided. */
  since: string | null;
  /** Time of the latest check; null before the first. */
  lastCheckedAt: string | null;
  /** Total time of the latest successful check. */
  responseMs: number | null;
  /** Whole days until the TLS certificate expires (negative: expired); null for http: or unknown. */
  certDaysLeft: number | null;
  uptime: UptimeWindows;
  /** The last 90 UTC days, oldest first, today last. */
  days: DayBucket[];
  /** Oldest first. */
  openIncidents: StatusIncident[];
  /** The last 10 closed ones, newest first. */
  closedIncidents: StatusIncident[];
  /** The maintenance window the site is in (checked, but its checks count neither up nor down); null for none. */
  maintenance: string | null;
  /**
   * Queue mode with locations: what each location saw in the latest sweep (`up`, `down`, or `unknown`
   * for no result) and its own uptime over 24 hours (or the --keep-raw window when shorter), beside the
   * combined verdict above. Absent otherwise.
   */
  locations?: Array<{ location: string; state: 'up' | 'down' | 'unknown'; uptime24h: number | null }>;
}

/** A silence of public sites: they are checked, but nobody is notified about them until it ends. */
export interface StatusSilence {
  /** The public sites it covers, by their page names; null for every site. */
  sites: string[] | null;
  /** UTC ISO-8601. */
  start: string;
  end: string;
  reason: string | null;
}

export interface StatusModel {
  title: string;
  description: string | null;
  /** UTC ISO-8601 time the model was read. */
  generatedAt: string;
  /** The page reloads itself this often. */
  refreshSeconds: number;
  banner: { state: BannerState; text: string };
  /** When the last sweep finished; null before the first. */
  lastSweepAt: string | null;
  /** Public sites in config order (the page groups them by `group`, keeping that order). */
  sites: StatusSite[];
  /**
   * When the monitor itself could not see the sites (newest first, the last 10 within 90 days): those
   * times count neither as up nor as down for any site.
   */
  monitorOffline: OfflinePeriod[];
  /** The silences in force or to come that cover public sites, oldest first. */
  silences: StatusSilence[];
  /**
   * Queue mode with locations: the locations that gave no result for some sites in the latest sweep (no
   * live worker there), counted as not answering. Absent without locations.
   */
  locationsMissing?: Array<{ location: string; missing: number }>;
}

export interface OfflinePeriod {
  /** UTC ISO-8601. */
  start: string;
  /** null while the monitor is still offline. */
  end: string | null;
  durationMs: number;
}

export const STATE_WORDS: Record<SiteState, string> = {
  up: 'Up',
  degraded: 'Degraded',
  down: 'Down',
  unknown: 'No data yet',
};

export const BANNER_WORDS: Record<BannerState, string> = {
  operational: 'All systems operational',
  degraded: 'Some systems degraded',
  'partial-outage': 'Partial outage',
  'major-outage': 'Major outage',
  offline: 'Monitor offline: the states below may be out of date',
  'no-data': 'Waiting for the first checks',
};

/**
 * The banner from the sites' states. `offline`: the monitor itself cannot see the sites (its network is
 * down, or it has not swept for too long), which beats anything the sites say. Major outage: at least
 * half of the sites with a known state are down.
 */
export function bannerOf(states: readonly SiteState[], monitorOffline: boolean): BannerState {
  if (monitorOffline) return 'offline';
  const known = states.filter((s) => s !== 'unknown');
  if (known.length === 0) return 'no-data';
  const down = known.filter((s) => s === 'down').length;
  if (down > 0 && down * 2 >= known.length) return 'major-outage';
  if (down > 0) return 'partial-outage';
  if (known.some((s) => s === 'degraded')) return 'degraded';
  return 'operational';
}

/** Sites by group in order of first appearance; ungrouped sites first, under a null group. */
export function groupSites(sites: readonly StatusSite[]): { group: string | null; sites: StatusSite[] }[] {
  const groups = new Map<string | null, StatusSite[]>();
  if (sites.some((s) => s.group === null)) groups.set(null, []);
  for (const site of sites) {
    const list = groups.get(site.group) ?? [];
    list.push(site);
    groups.set(site.group, list);
  }
  return [...groups].map(([group, list]) => ({ group, sites: list }));
}
