/**
 * The transports' registry: every channel type (channels/index.ts) and what sends for it, checked with
 * `satisfies` so that a type without a notifier (or a notifier of the wrong settings) does not compile.
 */

import type { ChannelConfig, ChannelConfigs, ChannelType } from '../channels/index.js';
import { discordNotifier } from './discord.js';
import { emailNotifier } from './email.js';
import { googleChatNotifier } from './googlechat.js';
import { gotifyNotifier } from './gotify.js';
import { matrixNotifier } from './matrix.js';
import { mattermostNotifier } from './mattermost.js';
import { ntfyNotifier } from './ntfy.js';
import { opsgenieNotifier } from './opsgenie.js';
import { pagerdutyNotifier } from './pagerduty.js';
import { pushoverNotifier } from './pushover.js';
import { rocketChatNotifier } from './rocketchat.js';
import { slackNotifier } from './slack.js';
import { teamsNotifier } from './teams.js';
import { telegramNotifier } from './telegram.js';
import { withTemplate } from './template.js';
import { twilioNotifier } from './twilio.js';
import type { Channel, ChannelDeps, Notifier } from './types.js';
import { vonageNotifier } from './vonage.js';
import { webhookNotifier } from './webhook.js';

type Registry = { [K in ChannelType]: Notifier<ChannelConfigs[K]> };

export const NOTIFIERS = {
  email: emailNotifier,
  webhook: webhookNotifier,
  slack: slackNotifier,
  discord: discordNotifier,
  ntfy: ntfyNotifier,
  pagerduty: pagerdutyNotifier,
  opsgenie: opsgenieNotifier,
  twilio: twilioNotifier,
  vonage: vonageNotifier,
  telegram: telegramNotifier,
  teams: teamsNotifier,
  googlechat: googleChatNotifier,
  mattermost: mattermostNotifier,
  rocketchat: rocketChatNotifier,
  matrix: matrixNotifier,
  pushover: pushoverNotifier,
  gotify: gotifyNotifier,
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

/** A configured channel, ready to send, with its templates (template.ts) when it has some. */
export function createChannel(name: string, config: ChannelConfig, deps: ChannelDeps = {}): Channel {
  return withTemplate(create(name, config, deps), config.template);
}

export type { Channel, ChannelDeps, Notifier } from './types.js';
