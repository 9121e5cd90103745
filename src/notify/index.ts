/**
 * The notifier registry: every channel type, checked with `satisfies` so that a type without a notifier
 * (or a notifier of the wrong config) does not compile. Adding a type is one file and one line here.
 */

import { type DiscordConfig, discordNotifier } from './discord.js';
import { type EmailConfig, emailNotifier } from './email.js';
import { type NtfyConfig, ntfyNotifier } from './ntfy.js';
import { type SlackConfig, slackNotifier } from './slack.js';
import type { Channel, ChannelDeps, Notifier } from './types.js';
import { type WebhookConfig, webhookNotifier } from './webhook.js';

export const CHANNEL_TYPES = ['email', 'webhook', 'slack', 'discord', 'ntfy'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Each type's validated settings. */
export interface ChannelConfigs {
  email: EmailConfig;
  webhook: WebhookConfig;
  slack: SlackConfig;
  discord: DiscordConfig;
  ntfy: NtfyConfig;
}

export type ChannelConfig = ChannelConfigs[ChannelType];

type Registry = { [K in ChannelType]: Notifier<ChannelConfigs[K]> };

export const NOTIFIERS = {
  email: emailNotifier,
  webhook: webhookNotifier,
  slack: slackNotifier,
  discord: discordNotifier,
  ntfy: ntfyNotifier,
} satisfies Registry;

export function isChannelType(type: unknown): type is ChannelType {
  return typeof type === 'string' && (CHANNEL_TYPES as readonly string[]).includes(type);
}

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
