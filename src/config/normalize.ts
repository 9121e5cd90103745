/** URL rules and the step from validated input to the resolved sites the rest of the program uses. */

import type { ConfigProblem } from '../core/errors.js';
import { type CheckOptions, DEFAULT_OPTIONS, type Site } from '../core/site.js';
import { redactUrl } from '../util/redact.js';
import { normalizeUrl } from '../util/url.js';
import type { ParsedConfig, ParsedSite } from './schema.js';

/** One problem per site whose URL repeats an earlier one, found on the raw list so it joins other problems. */
export function findDuplicateSites(sites: readonly unknown[]): ConfigProblem[] {
  const firstIndex = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  sites.forEach((site, index) => {
    const url = typeof site === 'string' ? site : (site as { url?: unknown } | null)?.url;
    const normal = typeof url === 'string' ? normalizeUrl(url) : null;
    if (normal === null) return;
    const first = firstIndex.get(normal);
    if (first === undefined) firstIndex.set(normal, index);
    else
      problems.push({
        path: `sites[${index}]`,
        message: `duplicate of sites[${first}] (${redactUrl(normal)})`,
      });
  });
  return problems;
}

/** Later layers win; a name is one header whatever its case, and the winning layer's spelling is kept. */
function mergeHeaders(...layers: (Record<string, string> | undefined)[]): Record<string, string> {
  const merged = new Map<string, [string, string]>();
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer ?? {})) merged.set(name.toLowerCase(), [name, value]);
  }
  return Object.fromEntries(merged.values());
}

function resolveSite(
  entry: ParsedSite,
  defaults: Partial<CheckOptions>,
  overrides: Partial<CheckOptions>,
): Site {
  const { url, name, group, ...own } =
    typeof entry === 'string' ? { url: entry, name: undefined, group: undefined } : entry;
  return {
    // Spreading whole layers (not listing keys) is what lets a new option in schema.ts need no change here.
    ...DEFAULT_OPTIONS,
    ...defaults,
    ...own,
    ...overrides,
    headers: mergeHeaders(DEFAULT_OPTIONS.headers, defaults.headers, own.headers, overrides.headers),
    url,
    name: name ?? null,
    // Only when given: a site without a group is the site it always was.
    ...(group === undefined ? {} : { group }),
  };
}

/**
 * Command-line `overrides` over each site's own options over the config's `defaults` over
 * DEFAULT_OPTIONS. The command line wins everywhere it applies, per-site values included: someone who
 * types `--timeout 30s` means every check, and a site's own value silently winning was a surprise.
 */
export function resolveSites(config: ParsedConfig, overrides: Partial<CheckOptions> = {}): Site[] {
  return config.sites.map((entry) => resolveSite(entry, config.defaults ?? {}, overrides));
}
