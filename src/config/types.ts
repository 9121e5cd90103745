/** The config as the rest of the program sees it: validated, defaults applied, ${VAR} substituted. */

import type { ChannelConfig } from '../channels/index.js';
import type { HeartbeatConfig, Site, SummaryConfig } from '../core/site.js';

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
  /**
   * Values that came from ${VAR} substitution in places that may hold secrets (headers, channels).
   * Every output redacts them.
   */
  secrets: string[];
}
