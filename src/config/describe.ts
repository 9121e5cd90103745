/** The summary `uptime-squirrel validate` prints for a valid config. */

import { checkBoundMs, DEFAULT_OPTIONS, type Site, type StatusRange } from '../core/site.js';
import { formatDuration } from '../util/duration.js';
import { redactUrl } from '../util/redact.js';
import { maintenanceLines } from './describe-maintenance.js';
import { DEFAULT_OFFLINE_RULE } from './offline-sections.js';
import type { Config } from './types.js';

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function statuses(ranges: readonly StatusRange[]): string {
  return ranges.map((r) => (r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`)).join(', ');
}

/** "timeout 10s per attempt, 1 retry (at most 20.5s)": the timeout is per attempt, so the bound is said too. */
function timing(site: Site): string {
  const perAttempt = `timeout ${formatDuration(site.timeoutMs)} per attempt`;
  if (site.retries === 0) return `${perAttempt}, no retry`;
  const retries = site.retries === 1 ? '1 retry' : `${site.retries} retries`;
  return `${perAttempt}, ${retries} (at most ${formatDuration(checkBoundMs(site))})`;
}

/** "asserts bodyContains (2), json (1 path), degraded over 800ms": which assertions, not their values (they may hold secrets). */
function assertions(site: Site): string {
  const e = site.expect;
  if (e === undefined) return '';
  const n = (list: unknown[] | Record<string, unknown> | undefined, one: string) => {
    if (list === undefined) return null;
    const count = Array.isArray(list) ? list.length : Object.keys(list).length;
    return `${one} (${count})`;
  };
  const parts = [
    n(e.bodyContains, 'bodyContains'),
    n(e.bodyNotContains, 'bodyNotContains'),
    e.bodyMatches === undefined ? null : 'bodyMatches',
    n(e.json, 'json'),
    n(e.headers, 'headers'),
    e.maxResponseMs === undefined ? null : `degraded over ${formatDuration(e.maxResponseMs)}`,
  ].filter((p) => p !== null);
  const cap =
    e.json || e.bodyContains || e.bodyNotContains || e.bodyMatches
      ? `, body read up to ${bytes(site.maxBodyBytes)}`
      : '';
  return parts.length === 0 ? '' : `; asserts ${parts.join(', ')}${cap}`;
}

function bytes(n: number): string {
  return n % (1024 * 1024) === 0
    ? `${n / (1024 * 1024)} MiB`
    : n % 1024 === 0
      ? `${n / 1024} KiB`
      : `${n} bytes`;
}

/** The site's own tls settings, in words: which are set, never the files' contents or the passphrase. */
function tlsLine(site: Site): string {
  const t = site.tls;
  if (t === undefined || !site.url.toLowerCase().startsWith('https:')) return '';
  const parts = [
    t.ca === undefined ? null : 'own CA',
    t.servername === undefined ? null : `servername ${t.servername}`,
    t.cert === undefined ? null : 'client certificate',
    t.minVersion === undefined ? null : `at least ${t.minVersion}`,
    t.insecure ? 'INSECURE: the certificate is not verified' : null,
  ].filter((p) => p !== null);
  return parts.length === 0 ? '' : `; tls: ${parts.join(', ')}`;
}

/** The warning under the list for sites whose certificate is not verified. */
function insecureLines(config: Config): string[] {
  const insecure = config.sites.filter((s) => s.tls?.insecure && s.url.toLowerCase().startsWith('https:'));
  if (insecure.length === 0) return [];
  const names = insecure.map((s) => s.name ?? redactUrl(s.url)).join(', ');
  return [
    `warning: tls.insecure: ${count(insecure.length, 'site')} accept${insecure.length === 1 ? 's' : ''} any certificate (${names}); an impostor would pass as the site. Their certificates are still reported.`,
  ];
}

/** "; certificate warnings at 60, 30 days" when not the default; "; no certificate warnings" for []. */
function certLine(site: Site): string {
  if (!site.url.toLowerCase().startsWith('https:')) return '';
  const days = site.certExpiry.warnDays;
  if (days.join() === DEFAULT_OPTIONS.certExpiry.warnDays.join()) return '';
  return days.length === 0
    ? '; no certificate warnings'
    : `; certificate warnings at ${days.join(', ')} days`;
}

/** ", with a body (14 bytes, application/json), IPv6 only, through proxy http://***@proxy:3128": never the body itself or a proxy password. */
function request(site: Site): string {
  const { body, ipFamily, proxy } = site;
  const parts = [
    body === undefined ? null : `with a body (${bytes(Buffer.byteLength(body.text))}, ${body.contentType})`,
    ipFamily === undefined ? null : `IPv${ipFamily} only`,
    proxy === undefined ? null : proxy === null ? 'no proxy' : `through proxy ${redactUrl(proxy)}`,
  ].filter((p) => p !== null);
  return parts.length === 0 ? '' : `, ${parts.join(', ')}`;
}

// Only the redacted URL and option values are shown: header values and channels may hold secrets.
function siteLine(site: Site): string {
  const url = redactUrl(site.url);
  const label = site.name === null ? url : `${site.name} (${url})`;
  const every = site.interval === undefined ? '' : `; watch: every ${formatDuration(site.interval)}`;
  return `  ${label}: ${site.method}${request(site)}, ${timing(site)}, expect ${statuses(site.expectStatus)}${assertions(site)}${certLine(site)}${tlsLine(site)}${every}`;
}

/** The monitor-offline settings, when they are not the defaults: a rule turned off should not go unnoticed. */
function offlineLines(config: Config): string[] {
  const { offline, connectivity } = config;
  const rule =
    offline === null
      ? 'monitor-offline rule: off (every failed site is alerted, even when all fail at once)'
      : offline.ratio !== DEFAULT_OFFLINE_RULE.ratio || offline.minSites !== DEFAULT_OFFLINE_RULE.minSites
        ? `monitor-offline rule: ${Math.round(offline.ratio * 1000) / 10}% of at least ${count(offline.minSites, 'site')} failing without a response`
        : null;
  const targets =
    connectivity === null ? null : `connectivity targets: ${connectivity.targets.map(redactUrl).join(', ')}`;
  return [rule, targets].filter((line) => line !== null);
}

/** `sites.json is valid: 12 sites, 0 channels`, then one line per site. */
export function describeConfig(config: Config, now = Date.now()): string {
  const channels = Object.keys(config.channels).length;
  const head = `${config.file} is valid: ${count(config.sites.length, 'site')}, ${count(channels, 'channel')}`;
  return [
    head,
    ...config.sites.map(siteLine),
    ...offlineLines(config),
    ...maintenanceLines(config, now),
    ...insecureLines(config),
  ].join('\n');
}
