/**
 * The transports' registry: every channel type (channels/index.ts) and what sends for it, checked with
 * `satisfies` so that a type without a notifier (or a notifier of the wrong settings) does not compile.
 */

import type { ChannelConfig, ChannelConfigs, ChannelType } from '../channels/index.js';
import { discordNotifier } from './discord.js';
import { emailNotifier } from './email.js';
import { ntfyNotifier } from './ntfy.js';
import { slackNotifier } from './slack.js';
import type { Channel, ChannelDeps, Notifier } from './types.js';
import { webhookNotifier } from './webhook.js';

type Registry = { [K in ChannelType]: Notifier<ChannelConfigs[K]> };

export const NOTIFIERS = {
  email: emailNotifier,
  webhook: webhookNotifier,
  slack: slackNotifier,
  discord: discordNotifier,
  ntfy: ntfyNotifier,
} satisfies Registry;

// The mapped type lets TypeScript see that NOTIFIERS[config.type] takes exactly config's type.
const registry: Registry = NOTIFIERS;

function create<K extends ChannelType>(
  name: string,
  config: ChannelConfigs[K] & { type: K },
  deps: ChannelDeps,
) {
  const notifier: Notifier<ChannelConfigs[K]> = registry[config.type];
  return notifier.create(name, config, deps);
}

/** A configured channel, ready to send. */
export function createChannel(name: string, config: ChannelConfig, deps: ChannelDeps = {}): Channel {
  return create(name, config, deps);
}

export type { Channel, ChannelDeps, Notifier } from './types.js';
