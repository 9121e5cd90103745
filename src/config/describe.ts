/** The summary `uptime-squirrel validate` prints for a valid config. */

import type { Site, StatusRange } from '../core/site.js';
import { formatDuration } from '../util/duration.js';
import { redactUrl } from '../util/redact.js';
import type { Config } from './types.js';

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function statuses(ranges: readonly StatusRange[]): string {
  return ranges.map((r) => (r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`)).join(', ');
}

// Only the redacted URL and option values are shown: header values and channels may hold secrets.
function siteLine(site: Site): string {
  const url = redactUrl(site.url);
  const label = site.name === null ? url : `${site.name} (${url})`;
  return `  ${label}: ${site.method}, timeout ${formatDuration(site.timeoutMs)}, expect ${statuses(site.expectStatus)}`;
}

/** `sites.json is valid: 12 sites, 0 channels`, then one line per site. */
export function describeConfig(config: Config): string {
  const channels = Object.keys(config.channels).length;
  const head = `${config.file} is valid: ${count(config.sites.length, 'site')}, ${count(channels, 'channel')}`;
  return [head, ...config.sites.map(siteLine)].join('\n');
}
