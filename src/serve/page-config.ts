/**
 * From the config to what the status server needs: every site with its id, store key, group and
 * whether the page shows it, the page's settings, the channels and the secrets to mask.
 */

import { namesSite } from '../config/status-sections.js';
import type { Config } from '../config/types.js';
import { redactUrl } from '../util/redact.js';
import { siteIds } from '../util/site-id.js';
import { siteKey } from '../util/site-key.js';
import type { LiveConfig } from './live.js';

export function pageConfig(config: Config): LiveConfig {
  const ids = siteIds(config.sites, config.secrets);
  const listed = config.statusPage.sites;
  return {
    sites: config.sites.map((site, i) => {
      const id = ids[i] ?? `site-${i + 1}`;
      return {
        id,
        key: siteKey(site.url),
        name: site.name,
        url: redactUrl(site.url),
        group: site.group ?? null,
        public: listed === null || listed.some((entry) => namesSite(entry, site, id)),
      };
    }),
    page: {
      title: config.statusPage.title,
      description: config.statusPage.description,
      refreshSeconds: config.statusPage.refreshSeconds,
    },
    channels: Object.keys(config.channels),
    secrets: config.secrets,
  };
}
