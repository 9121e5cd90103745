/**
 * The channel registry: every channel type and the description of its settings. The list of types, the
 * settings types and the transports' registry (notify/index.ts) all follow from it, so adding a type is
 * one file here, one in notify/, and one line in each registry.
 */

import { discordChannel } from './discord.js';
import { emailChannel } from './email.js';
import { googleChatChannel } from './googlechat.js';
import { gotifyChannel } from './gotify.js';
import { matrixChannel } from './matrix.js';
import { mattermostChannel } from './mattermost.js';
import { ntfyChannel } from './ntfy.js';
import { opsgenieChannel } from './opsgenie.js';
import { pagerdutyChannel } from './pagerduty.js';
import { pushoverChannel } from './pushover.js';
import { rocketChatChannel } from './rocketchat.js';
import { slackChannel } from './slack.js';
import type { ChannelSpec, ConfigOf } from './spec.js';
import { teamsChannel } from './teams.js';
import { telegramChannel } from './telegram.js';
import { twilioChannel } from './twilio.js';
import { vonageChannel } from './vonage.js';
import { webhookChannel } from './webhook.js';

// The order is the order messages and the JSON Schema list the types in.
export const CHANNELS = {
  email: emailChannel,
  webhook: webhookChannel,
  slack: slackChannel,
  discord: discordChannel,
  ntfy: ntfyChannel,
  pagerduty: pagerdutyChannel,
  opsgenie: opsgenieChannel,
  twilio: twilioChannel,
  vonage: vonageChannel,
  telegram: telegramChannel,
  teams: teamsChannel,
  googlechat: googleChatChannel,
  mattermost: mattermostChannel,
  rocketchat: rocketChatChannel,
  matrix: matrixChannel,
  pushover: pushoverChannel,
  gotify: gotifyChannel,
} satisfies Record<string, ChannelSpec<{ type: string }>>;

export type ChannelType = keyof typeof CHANNELS;

/** Each type's validated settings. */
export type ChannelConfigs = { [K in ChannelType]: ConfigOf<(typeof CHANNELS)[K]> };

export type ChannelConfig = ChannelConfigs[ChannelType];

// Each entry's key must be the `type` its schema accepts, since a section is checked by the entry its
// `type` names: an entry filed under another key makes this fail to compile.
CHANNELS satisfies { [K in ChannelType]: ChannelSpec<ChannelConfigs[K] & { type: K }> };

export function isChannelType(type: unknown): type is ChannelType {
  return typeof type === 'string' && Object.hasOwn(CHANNELS, type);
}

export const CHANNEL_TYPES: readonly ChannelType[] = Object.keys(CHANNELS).filter(isChannelType);

export type { ChannelSpec } from './spec.js';
