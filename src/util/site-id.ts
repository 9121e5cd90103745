/**
 * A site's public id: what the status page, `status.json`, the badge URLs and the metrics' `site` label
 * call it. A slug of its name (or, without one, of its URL's host and path), so `/badge/shop.svg` reads
 * well and stays the same from one start to the next; unique within the config by a suffix given in
 * config order (`api`, `api-2`, `api-3`), so the same config always gives the same ids.
 *
 * Not the store's key (util/site-key.ts, a hash of the normalised URL): that one must survive a rename,
 * this one must be readable.
 */

import { createRedactor, redactUrl } from './redact.js';

/** Long enough for a real name, short enough for a URL path segment and a Prometheus label. */
const MAX_LENGTH = 48;

export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    // Combining marks left by NFKD: "Café" becomes "cafe", not "caf-".
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_LENGTH)
    .replace(/^-+|-+$/g, '');
  return slug;
}

/** Host and path of a URL with its credentials and secret-looking query values dropped, as text to slug. */
function urlText(url: string, redact: (text: string) => string): string {
  const shown = redact(redactUrl(url));
  try {
    const parsed = new URL(shown);
    // Query and fragment left out: they rarely name the site and may hold what redaction missed.
    return `${parsed.hostname}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return shown.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[?#].*$/, '');
  }
}

export interface Nameable {
  name: string | null;
  url: string;
}

/**
 * Ids for the sites in config order, one each, all different. `secrets` are the config's ${VAR} values:
 * none of them may end up in an id (ids are in URLs, labels and logs).
 */
export function siteIds(sites: readonly Nameable[], secrets: readonly string[] = []): string[] {
  const redact = createRedactor(secrets);
  const taken = new Set<string>();
  // The next suffix to try per base: 20,000 sites on one host (ports apart) would otherwise retry every
  // suffix taken before them, 200 million tries.
  const nextSuffix = new Map<string, number>();
  return sites.map((site) => {
    const fromName = site.name === null ? '' : slugify(redact(site.name));
    const base = fromName || slugify(urlText(site.url, redact)) || 'site';
    let id = base;
    let n = nextSuffix.get(base) ?? 2;
    for (; taken.has(id); n++) {
      id = `${base.slice(0, MAX_LENGTH - String(n).length - 1).replace(/-+$/, '')}-${n}`;
    }
    nextSuffix.set(base, n);
    taken.add(id);
    return id;
  });
}

/** Whether a text is shaped like an id (what the badge route accepts before looking it up). */
export function isSiteId(text: string): boolean {
  return text.length > 0 && text.length <= MAX_LENGTH && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(text);
}
