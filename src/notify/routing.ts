/**
 * Where an event goes: the channels its site chose (`notify`, all by default), of those the ones that
 * take its type (a channel's `events`), each told whether it takes events one by one (incident tools)
 * and, during its quiet hours, until when the event is held back (unless its type is in `except`).
 */

import type { ChannelConfig } from '../channels/index.js';
import type { Config } from '../config/types.js';
import type { WatchEvent } from '../core/events.js';
import { siteKey } from '../util/site-key.js';
import type { RouteTarget } from './outbox.js';
import { quietUntil } from './quiet-hours.js';
import type { Grouping } from './types.js';

/** Whether a channel takes an event of this type at all. */
export function takes(config: ChannelConfig, type: WatchEvent['type']): boolean {
  return config.events === undefined || config.events.includes(type);
}

/** Until when a channel holds an event back at `now`; null when it goes at once. */
export function heldUntil(config: ChannelConfig, type: WatchEvent['type'], now: number): number | null {
  const quiet = config.quietHours;
  if (quiet === undefined || quiet.except.includes(type)) return null;
  return quietUntil(quiet, now);
}

export class Router {
  private readonly sites: Map<string, readonly string[]>;
  private readonly channels: readonly string[];

  constructor(
    private readonly config: Config,
    /** How each channel groups what it sends; channels it does not know take whole sweeps. */
    private readonly grouping: (channel: string) => Grouping,
  ) {
    this.channels = Object.keys(config.channels);
    this.sites = new Map(config.sites.map((site) => [siteKey(site.url), site.notify ?? this.channels]));
  }

  /** The channels a site's events go to (all of them for the monitor's and unknown sites'). */
  chosen(event: WatchEvent): readonly string[] {
    if (event.site === null) return this.channels;
    return this.sites.get(event.site.key) ?? this.channels;
  }

  /** The event's targets at `now`. */
  route(event: WatchEvent, now: number): RouteTarget[] {
    const targets: RouteTarget[] = [];
    // Held by a silence: recorded in the journal, sent to no channel (watch/quiet.ts tells it later if due).
    if (event.silenced !== undefined) return targets;
    for (const channel of this.chosen(event)) {
      const config = this.config.channels[channel];
      if (config === undefined || !takes(config, event.type)) continue;
      targets.push({
        channel,
        perEvent: this.grouping(channel) === 'site',
        notBefore: heldUntil(config, event.type, now),
      });
    }
    return targets;
  }
}
