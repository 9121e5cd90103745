/**
 * The status model from the config's public sites, the store's current read (states, incidents, the
 * monitor) and the uptime book: a pure function, so the live page and `report --html` are the same page.
 */

import { namesSite } from '../../config/status-sections.js';
import type { Silence } from '../../store/silences.js';
import type { StatusCurrent, StoredIncident, StoredSiteStatus } from '../../store/status-history.js';
import { describeCause } from '../../util/describe.js';
import { redactUrl } from '../../util/redact.js';
import type { UptimeBook } from './book.js';
import {
  BANNER_WORDS,
  bannerOf,
  type SiteState,
  type StatusIncident,
  type StatusModel,
  type StatusSilence,
  type StatusSite,
} from './model.js';

const DAY_MS = 86_400_000;

/** A site as the page lists it: config order, public ones only. */
export interface PageSite {
  id: string;
  /** The store's key (util/site-key.ts). */
  key: string;
  name: string | null;
  url: string;
  group: string | null;
}

export interface PageSettings {
  title: string;
  description: string | null;
  refreshSeconds: number;
}

export const DEFAULT_PAGE: PageSettings = { title: 'Status', description: null, refreshSeconds: 60 };

export interface StatusInput {
  page: PageSettings;
  sites: readonly PageSite[];
  current: StatusCurrent;
  book: UptimeBook;
  now: number;
  /** The daemon has not finished a sweep for too long (its health says so): the states may be stale. */
  stale?: boolean;
  /** When each site's TLS certificate expires (ms), by key, where known. */
  certExpiry?: ReadonlyMap<string, number>;
}

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

function incident(i: StoredIncident, now: number): StatusIncident {
  return {
    start: new Date(i.start).toISOString(),
    end: iso(i.end),
    durationMs: Math.max(0, (i.end ?? now) - i.start),
    cause: describeCause(i.cause),
  };
}

/** The state the page says: `degraded` for a site up but failing its latest checks below its threshold. */
export function siteState(stored: StoredSiteStatus | undefined): SiteState {
  if (stored === undefined) return 'unknown';
  return stored.status === 'up' && stored.failures > 0 ? 'degraded' : stored.status;
}

/** A site's locations, only when it was checked from several: a page without them stays as it was. */
function locationsOf(current: StatusCurrent, key: string): Pick<StatusSite, 'locations'> {
  const seen = current.locations?.bySite.get(key);
  if (seen === undefined) return {};
  return {
    locations: seen.map((l) => ({
      location: l.location,
      state: l.lastOk === null ? 'unknown' : l.lastOk ? 'up' : 'down',
      uptime24h: l.uptimePct,
    })),
  };
}

export function buildStatusModel(input: StatusInput): StatusModel {
  const { current, book, now } = input;
  const sites = input.sites.map((site): StatusSite => {
    const stored = current.sites.get(site.key);
    const state = siteState(stored);
    const expiry = input.certExpiry?.get(site.key);
    return {
      id: site.id,
      name: site.name ?? redactUrl(site.url),
      url: redactUrl(site.url),
      group: site.group,
      state,
      since: iso(stored?.since),
      lastCheckedAt: iso(stored?.last?.at),
      responseMs: stored?.last?.ok ? stored.last.totalMs : null,
      certDaysLeft: expiry === undefined ? null : Math.floor((expiry - now) / DAY_MS),
      uptime: book.windows(site.key, now),
      days: book.days(site.key, now),
      openIncidents: (stored?.open ?? []).map((i) => incident(i, now)),
      closedIncidents: (stored?.closed ?? []).map((i) => incident(i, now)),
      maintenance: stored?.maintenance ?? null,
      ...locationsOf(current, site.key),
    };
  });
  const banner = bannerOf(
    sites.map((s) => s.state),
    current.monitorOfflineSince !== null || input.stale === true,
  );
  return {
    title: input.page.title,
    description: input.page.description,
    generatedAt: new Date(now).toISOString(),
    refreshSeconds: input.page.refreshSeconds,
    banner: { state: banner, text: BANNER_WORDS[banner] },
    lastSweepAt: iso(current.lastSweepAt),
    sites,
    monitorOffline: (current.offlinePeriods ?? []).map((p) => ({
      start: new Date(p.start).toISOString(),
      end: iso(p.end),
      durationMs: Math.max(0, (p.end ?? now) - p.start),
    })),
    silences: publicSilences(current.silences ?? [], input.sites, sites),
    ...(current.locations === undefined || current.locations.bySite.size === 0
      ? {}
      : { locationsMissing: current.locations.missing }),
  };
}

/**
 * The silences as the public page may show them: only those covering a public site, naming only the
 * public sites they cover (by the page's names).
 */
function publicSilences(
  silences: readonly Silence[],
  config: readonly { name: string | null; url: string; id: string }[],
  shown: readonly StatusSite[],
): StatusSilence[] {
  return silences.flatMap((x): StatusSilence[] => {
    const base = {
      start: new Date(x.startsAt).toISOString(),
      end: new Date(x.endsAt).toISOString(),
      reason: x.reason,
    };
    if (x.sites === null) return [{ sites: null, ...base }];
    const names = config.flatMap((site, i) =>
      (x.sites ?? []).some((entry) => namesSite(entry, site, site.id)) ? [shown[i]?.name ?? site.id] : [],
    );
    return names.length === 0 ? [] : [{ sites: names, ...base }];
  });
}
