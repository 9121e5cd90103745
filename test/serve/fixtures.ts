/** Status models for the renderer and server tests: built by hand, so every state and edge is present. */

import type { DayBucket, SiteState, StatusModel, StatusSite } from '../../src/serve/status/model.js';
import { BANNER_WORDS, bannerOf } from '../../src/serve/status/model.js';

export const NOW = Date.parse('2030-03-31T12:00:00.000Z');
const DAY = 86_400_000;

/** 90 days, oldest first: the first `missing` without data, then full days, with failures on the days listed. */
export function days(opts: { missing?: number; failuresOn?: Record<number, number> } = {}): DayBucket[] {
  return Array.from({ length: 90 }, (_, i) => {
    const day = new Date(NOW - (89 - i) * DAY).toISOString().slice(0, 10);
    if (i < (opts.missing ?? 0)) return { day, checks: 0, failures: 0, uptimePct: null };
    const failures = opts.failuresOn?.[i] ?? 0;
    const checks = 288;
    return { day, checks, failures, uptimePct: Math.round(((checks - failures) / checks) * 100_000) / 1000 };
  });
}

export function site(id: string, state: SiteState, extra: Partial<StatusSite> = {}): StatusSite {
  return {
    id,
    name: id.toUpperCase(),
    url: `https://${id}.example.com/`,
    group: null,
    state,
    since: new Date(NOW - 3_600_000).toISOString(),
    lastCheckedAt: new Date(NOW - 60_000).toISOString(),
    responseMs: state === 'down' ? null : 123,
    certDaysLeft: 42,
    uptime: { '24h': 100, '7d': 99.9, '30d': 99.95, '90d': 99.99 },
    days: days({ missing: 30, failuresOn: { 80: 3, 85: 100 } }),
    openIncidents: [],
    closedIncidents: [],
    maintenance: null,
    ...extra,
  };
}

export function model(sites: StatusSite[], extra: Partial<StatusModel> = {}): StatusModel {
  const state = bannerOf(
    sites.map((s) => s.state),
    false,
  );
  return {
    title: 'Example status',
    description: 'Our services, checked every minute.',
    generatedAt: new Date(NOW).toISOString(),
    refreshSeconds: 60,
    banner: { state, text: BANNER_WORDS[state] },
    lastSweepAt: new Date(NOW - 30_000).toISOString(),
    sites,
    monitorOffline: [],
    silences: [],
    ...extra,
  };
}

/** One site of each state, two groups, an open incident on the down one and closed ones on the up one. */
export function sampleModel(): StatusModel {
  return model([
    site('shop', 'up', {
      group: 'Public',
      closedIncidents: [
        {
          start: '2030-03-20T10:00:00.000Z',
          end: '2030-03-20T10:15:00.000Z',
          durationMs: 900_000,
          cause: 'HTTP 503, expected 200-399',
        },
      ],
    }),
    site('api', 'down', {
      group: 'Public',
      openIncidents: [
        {
          start: '2030-03-31T11:00:00.000Z',
          end: null,
          durationMs: 3_600_000,
          cause: 'timeout: no response within 10 s',
        },
      ],
    }),
    site('blog', 'degraded', { group: 'Marketing' }),
    site('new', 'unknown', {
      group: 'Marketing',
      since: null,
      uptime: { '24h': null, '7d': null, '30d': null, '90d': null },
      days: days({ missing: 90 }),
    }),
  ]);
}

export const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  "'><svg onload=alert(3)>",
  '</title><script>alert(4)</script>',
  '</style><b>bold</b>',
  ']]><!-- -->',
  'ctl\u0000\u0007\u001b[31m\u007f\u0085\ud800end',
];
/** Every hostile string, in one text. */
export function hostileText(): string {
  return HOSTILE.join(' ');
}
const ALL = hostileText();

/** A model with the hostile strings in every text field that comes from outside. */
export function hostileModel(): StatusModel {
  const incident = { start: '2030-03-31T11:00:00.000Z', durationMs: 60_000, cause: `HTTP 500 ${ALL}` };
  return model(
    [
      site('evil', 'down', {
        name: `Shop ${ALL}`,
        group: `Group ${ALL}`,
        openIncidents: [{ ...incident, end: null }],
        closedIncidents: [{ ...incident, end: '2030-03-31T11:01:00.000Z' }],
      }),
    ],
    { title: `Status ${ALL}`, description: `About ${ALL}` },
  );
}
