/** The config as the rest of the program sees it: validated, defaults applied, ${VAR} substituted. */

import type { ChannelConfig } from '../channels/index.js';
import type { HeartbeatConfig, Site, SummaryConfig } from '../core/site.js';

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
  /**
   * Values that came from ${VAR} substitution in places that may hold secrets (headers, channels).
   * Every output redacts them.
   */
  secrets: string[];
}
