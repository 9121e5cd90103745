/** The config as the rest of the program sees it: validated, defaults applied, ${VAR} substituted. */

import type { ChannelConfig } from '../channels/index.js';
import type { HeartbeatConfig, Site, SummaryConfig } from '../core/site.js';
import type { WindowTime } from '../util/window-time.js';

/** watch: a planned maintenance window; see maintenance.ts. */
export interface MaintenanceWindow {
  name: string;
  /** The sites it covers, each a site's name, URL as written or id; null for every site. */
  sites: string[] | null;
  /** Recurring (cron + duration, in its zone or the config's) or one-off (start and end). */
  time: WindowTime;
}

/** watch: when a sweep counts as the monitor being offline; see offline-sections.ts. */
export interface OfflineRuleConfig {
  /** Share of the checked sites that failed without any HTTP response, above 0 and at most 1. */
  ratio: number;
  /** Fewer checked sites than this never count as the monitor being offline. */
  minSites: number;
}

/** watch: URLs the monitor itself should always reach, asked before a sweep counts as offline. */
export interface ConnectivityConfig {
  /** 1 to 10 http(s) URLs, ${VAR} substituted. */
  targets: string[];
}

/** watch: the status server (serve/); see status-sections.ts. */
export interface ServerConfig {
  /** `[HOST:]PORT`; null when only `--listen` may turn the server on. */
  listen: string | null;
  /** Bearer token of /metrics and /api/status.json; null for none. */
  token: string | null;
}

/** The status page (watch --listen, report --html); see status-sections.ts. */
export interface StatusPageConfig {
  title: string;
  description: string | null;
  /** The public sites, each a site's name, URL or id; null for every site. */
  sites: string[] | null;
  refreshSeconds: number;
}

export interface Config {
  /** The file the config came from, for messages. */
  file: string;
  sites: Site[];
  /** Notification channels by name, each validated by its type's description in channels/. */
  channels: Record<string, ChannelConfig>;
  /** watch: a URL requested after every sweep; null for none. */
  heartbeat: HeartbeatConfig | null;
  /** watch: the daily (or other scheduled) uptime summary; null for none. */
  summary: SummaryConfig | null;
  /** watch: the connectivity check of the monitor-offline rule; null when not configured. */
  connectivity: ConnectivityConfig | null;
  /** watch: the monitor-offline rule; null when turned off (`"offline": false`). */
  offline: OfflineRuleConfig | null;
  /** watch: the status server; null when the config has no `server` section. */
  server: ServerConfig | null;
  /** The status page's settings, defaults applied. */
  statusPage: StatusPageConfig;
  /** watch: planned maintenance windows; empty for none. */
  maintenance: MaintenanceWindow[];
  /** IANA zone of `--schedule`, the windows and the summary (each may have its own); null for the system's. */
  timeZone: string | null;
  /** Queue mode: the locations every site is checked from; null for none (one vantage point). */
  locations: string[] | null;
  /** Queue mode with locations: the quorum; null for the default (a majority). */
  quorum: number | null;
  /**
   * Values that came from ${VAR} substitution in places that may hold secrets (headers, channels).
   * Every output redacts them.
   */
  secrets: string[];
}
