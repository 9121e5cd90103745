/**
 * The contract test's fixtures (contract.test.ts) for the channels that call a provider's API: each sends
 * to its provider's local stand-in (test/helpers/*-receivers.ts), and each refusal is one the provider
 * really gives.
 */

import { parseConfig } from '../../src/config/load.js';
import type { NotifyErrorCode } from '../../src/notify/errors.js';
import { createChannel } from '../../src/notify/index.js';
import type { Message } from '../../src/notify/message.js';
import { createRedactor } from '../../src/util/redact.js';
import {
  MATRIX,
  startGoogleChat,
  startMatrix,
  startMattermost,
  startRocketChat,
  startTeams,
  startTelegram,
  TELEGRAM,
} from '../helpers/chat-receivers.js';
import type { ProviderReceiver } from '../helpers/provider-receiver.js';
import { GOTIFY, PUSHOVER, startGotify, startPushover } from '../helpers/push-receivers.js';
import { startTwilio, startVonage, TWILIO, VONAGE } from '../helpers/sms-receivers.js';

export async function startProviders() {
  const [twilio, vonage, telegram, teams, googlechat, mattermost, rocketchat, matrix, pushover, gotify] =
    await Promise.all([
      startTwilio(),
      startVonage(),
      startTelegram(),
      startTeams(),
      startGoogleChat(),
      startMattermost(),
      startRocketChat(),
      startMatrix(),
      startPushover(),
      startGotify(),
    ]);
  const all = {
    twilio,
    vonage,
    telegram,
    teams,
    googlechat,
    mattermost,
    rocketchat,
    matrix,
    pushover,
    gotify,
  };
  const receivers: ProviderReceiver<string>[] = Object.values(all);
  return {
    ...all,
    receivers,
    close: () => Promise.all(receivers.map((r) => r.close())).then(() => undefined),
  };
}

export type Providers = Awaited<ReturnType<typeof startProviders>>;

type ProviderType = Exclude<keyof Providers, 'close' | 'receivers'>;

interface Refusal {
  what: string;
  arrange(): Record<string, unknown> | undefined;
  code: NotifyErrorCode;
  transient: boolean;
}

interface Fixture {
  section(): Record<string, unknown>;
  received(): { count: number; last: string };
  refusals: Refusal[];
}

const HTTP = 'US_ERR_NOTIFY_HTTP';

/** The provider's error `name`, answered to the next request. */
function answer(r: () => ProviderReceiver<string>, name: string, transient: boolean): Refusal {
  return { what: `the provider's "${name}"`, arrange: () => void r().fail(name), code: HTTP, transient };
}

/** Settings the provider refuses. */
function refused(what: string, section: () => Record<string, unknown>): Refusal {
  return { what, arrange: section, code: HTTP, transient: false };
}

/** What the provider took last, as text: a form's values decoded, or the body. */
const receivedBy = (r: () => ProviderReceiver<string>) => () => {
  const last = r().accepted().at(-1);
  const form = last === undefined ? [] : [...last.form.values()];
  return { count: r().accepted().length, last: form.length > 0 ? form.join('\n') : (last?.body ?? '') };
};

/** One fixture per provider channel type; `get` gives the receivers the suite started. */
export function providerFixtures(get: () => Providers): Record<ProviderType, Fixture> {
  const twilio = () => ({
    type: 'twilio',
    ...TWILIO,
    from: '+15557654321',
    to: '+15551234567',
    baseUrl: get().twilio.url,
  });
  const vonage = () => ({
    type: 'vonage',
    ...VONAGE,
    from: 'Squirrel',
    to: '+447700900000',
    baseUrl: get().vonage.url,
  });
  const telegram = () => ({ type: 'telegram', ...TELEGRAM, baseUrl: get().telegram.url });
  const matrix = () => ({ type: 'matrix', ...MATRIX, baseUrl: get().matrix.url });
  const pushover = () => ({ type: 'pushover', ...PUSHOVER, baseUrl: get().pushover.url });
  const gotify = () => ({ type: 'gotify', ...GOTIFY, baseUrl: get().gotify.url });
  return {
    twilio: {
      section: twilio,
      received: receivedBy(() => get().twilio),
      refusals: [
        answer(() => get().twilio, 'invalid-number', false),
        answer(() => get().twilio, 'rate-limit', true),
        refused('a wrong auth token (20003)', () => ({ ...twilio(), authToken: 'wrong-token' })),
      ],
    },
    vonage: {
      section: vonage,
      received: receivedBy(() => get().vonage),
      refusals: [
        answer(() => get().vonage, 'bad-credentials', false),
        answer(() => get().vonage, 'throttled', true),
        answer(() => get().vonage, 'partial', false),
      ],
    },
    telegram: {
      section: telegram,
      received: receivedBy(() => get().telegram),
      refusals: [
        answer(() => get().telegram, 'chat-not-found', false),
        answer(() => get().telegram, 'rate-limit', true),
        answer(() => get().telegram, 'migrated', false),
      ],
    },
    teams: {
      section: () => ({ type: 'teams', url: get().teams.webhookUrl }),
      received: receivedBy(() => get().teams),
      refusals: [
        answer(() => get().teams, 'too-large', false),
        answer(() => get().teams, 'rate-limit', true),
      ],
    },
    googlechat: {
      section: () => ({ type: 'googlechat', url: get().googlechat.webhookUrl }),
      received: receivedBy(() => get().googlechat),
      refusals: [
        answer(() => get().googlechat, 'not-found', false),
        answer(() => get().googlechat, 'rate-limit', true),
      ],
    },
    mattermost: {
      section: () => ({ type: 'mattermost', url: get().mattermost.webhookUrl }),
      received: receivedBy(() => get().mattermost),
      refusals: [
        answer(() => get().mattermost, 'rate-limit', true),
        refused('a deleted webhook', () => ({
          type: 'mattermost',
          url: `${get().mattermost.url}/hooks/deleted`,
        })),
      ],
    },
    rocketchat: {
      section: () => ({ type: 'rocketchat', url: get().rocketchat.webhookUrl }),
      received: receivedBy(() => get().rocketchat),
      refusals: [
        answer(() => get().rocketchat, 'rate-limit', true),
        refused('a wrong token', () => ({ type: 'rocketchat', url: `${get().rocketchat.webhookUrl}x` })),
      ],
    },
    matrix: {
      section: matrix,
      received: () => ({
        count: get().matrix.events.length,
        last: JSON.stringify(get().matrix.events.at(-1)?.content ?? ''),
      }),
      refusals: [
        answer(() => get().matrix, 'forbidden', false),
        answer(() => get().matrix, 'rate-limit', true),
        refused('an unknown access token', () => ({ ...matrix(), accessToken: 'syt_wrong' })),
      ],
    },
    pushover: {
      section: pushover,
      received: receivedBy(() => get().pushover),
      refusals: [
        answer(() => get().pushover, 'over-limit', false),
        answer(() => get().pushover, 'server-error', true),
        refused('an unknown user key', () => ({ ...pushover(), user: 'u'.repeat(30) })),
      ],
    },
    gotify: {
      section: gotify,
      received: receivedBy(() => get().gotify),
      refusals: [
        answer(() => get().gotify, 'server-error', true),
        refused('a wrong application token', () => ({ ...gotify(), token: 'wrong' })),
      ],
    },
  };
}

/** Values for the ${VAR}s of these types' examples. */
export const PROVIDER_EXAMPLE_ENV = {
  TWILIO_ACCOUNT_SID: TWILIO.accountSid,
  TWILIO_AUTH_TOKEN: TWILIO.authToken,
  VONAGE_API_KEY: VONAGE.apiKey,
  VONAGE_API_SECRET: VONAGE.apiSecret,
  TELEGRAM_BOT_TOKEN: TELEGRAM.botToken,
  TEAMS_WEBHOOK_URL: 'https://example.webhook.office.com/workflows/x/triggers/manual/paths/invoke?sig=s',
  GOOGLE_CHAT_WEBHOOK_URL: 'https://chat.googleapis.com/v1/spaces/AAA/messages?key=k&token=t',
  MATTERMOST_WEBHOOK_URL: 'https://mattermost.example.com/hooks/xxx-generatedkey-xxx',
  ROCKETCHAT_WEBHOOK_URL: 'https://chat.example.com/hooks/abc/def',
  MATRIX_ACCESS_TOKEN: MATRIX.accessToken,
  PUSHOVER_TOKEN: PUSHOVER.token,
  PUSHOVER_USER: PUSHOVER.user,
  GOTIFY_TOKEN: GOTIFY.token,
};

/**
 * A channel from one section of settings (with ${VAR}s from `env`), as the config loads it: its send, with
 * every secret of the config and the channel masked as the daemon masks them.
 */
export function channelOf(settings: Record<string, unknown>, env: Record<string, string> = {}) {
  const config = parseConfig(
    JSON.stringify({ sites: ['https://example.com/'], channels: { c: settings } }),
    'sites.json',
    env,
  );
  const channelConfig = config.channels.c;
  if (channelConfig === undefined) throw new Error('no channel');
  const channel = createChannel('c', channelConfig);
  const redact = createRedactor([...config.secrets, ...channel.secrets]);
  return {
    channel,
    redact,
    send: (message: Message, timeoutMs = 2000) => channel.send(message, { timeoutMs, redact }),
  };
}
