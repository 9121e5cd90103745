/**
 * The contract every channel type keeps, run over the registry (channels/index.ts), so that a new type is
 * covered as soon as it is registered and fails here until it has a fixture: its config problems carry
 * their JSON path; a send reaches a real local receiver; a refusal rejects with a typed NotifyError.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests, not a mistaken template.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { COMMON_KEYS } from '../../src/channels/common.js';
import { CHANNEL_TYPES, CHANNELS, type ChannelType } from '../../src/channels/index.js';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError, type ConfigProblem } from '../../src/core/errors.js';
import { testMessage } from '../../src/notify/compose.js';
import type { NotifyErrorCode } from '../../src/notify/errors.js';
import { createChannel } from '../../src/notify/index.js';
import { createRedactor } from '../../src/util/redact.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { startWebhookReceiver, type TestWebhookReceiver } from '../helpers/webhook-receiver.js';
import { rejection } from './fixtures.js';
import { OPSGENIE_KEY, PAGERDUTY_KEY, startOpsgenie, startPagerDuty } from './incident-receivers.js';
import {
  PROVIDER_EXAMPLE_ENV,
  type Providers,
  providerFixtures,
  startProviders,
} from './provider-fixtures.js';

type PagerDuty = Awaited<ReturnType<typeof startPagerDuty>>;
type Opsgenie = Awaited<ReturnType<typeof startOpsgenie>>;

/** The local receivers a channel sends to. */
interface Local {
  http: TestWebhookReceiver;
  smtp: TestSmtpServer;
  pagerduty: PagerDuty;
  opsgenie: Opsgenie;
}

interface Refusal {
  what: string;
  /** Makes the next send fail: a scripted answer, or settings the receiver refuses. */
  arrange(local: Local): Record<string, unknown> | undefined;
  code: NotifyErrorCode;
  transient: boolean;
}

interface Fixture {
  /** Valid settings that send to the local receiver. */
  section(local: Local): Record<string, unknown>;
  /** How many messages the receiver has taken, and the text of the last one (body or whole mail). */
  received(local: Local): { count: number; last: string };
  refusals: Refusal[];
}

const SMTP_USER = { user: 'monitor', pass: 'pw' };

const httpReceived = (local: Local) => ({
  count: local.http.delivered().length,
  last: local.http.delivered().at(-1)?.body ?? '',
});

const httpRefusals: Refusal[] = [
  {
    what: 'HTTP 500',
    arrange: (local) => void local.http.script({ status: 500, body: 'broken' }),
    code: 'US_ERR_NOTIFY_HTTP',
    transient: true,
  },
  {
    what: 'HTTP 404',
    arrange: (local) => void local.http.script(404),
    code: 'US_ERR_NOTIFY_HTTP',
    transient: false,
  },
];

/** One entry per channel type; the mapped type makes a missing entry a compile error too. */
const FIXTURES: { [K in ChannelType]: Fixture } = {
  email: {
    section: (local) => ({
      type: 'email',
      smtp: local.smtp.url(SMTP_USER),
      from: 'monitor@example.com',
      to: ['ops@example.com'],
    }),
    received: (local) => ({ count: local.smtp.messages.length, last: local.smtp.messages.at(-1)?.raw ?? '' }),
    refusals: [
      {
        what: 'SMTP 550',
        arrange: (local) => void local.smtp.script({ code: 550, message: 'mailbox unavailable' }),
        code: 'US_ERR_NOTIFY_SMTP',
        transient: false,
      },
      {
        what: 'a refused login',
        arrange: (local) => ({
          type: 'email',
          smtp: local.smtp.url({ user: 'monitor', pass: 'wrong' }),
          from: 'monitor@example.com',
          to: ['ops@example.com'],
        }),
        code: 'US_ERR_NOTIFY_AUTH',
        transient: false,
      },
    ],
  },
  webhook: {
    section: (local) => ({ type: 'webhook', url: local.http.url }),
    received: httpReceived,
    refusals: httpRefusals,
  },
  slack: {
    section: (local) => ({ type: 'slack', url: local.http.url }),
    received: httpReceived,
    refusals: httpRefusals,
  },
  discord: {
    section: (local) => ({ type: 'discord', url: local.http.url }),
    received: httpReceived,
    refusals: httpRefusals,
  },
  ntfy: {
    section: (local) => ({ type: 'ntfy', url: `${local.http.url}/alerts` }),
    received: httpReceived,
    refusals: httpRefusals,
  },
  pagerduty: {
    section: (local) => ({ type: 'pagerduty', routingKey: PAGERDUTY_KEY, baseUrl: local.pagerduty.url }),
    // A test opens an alert and resolves it at once: the triggers are the messages.
    received: (local) => {
      const triggers = local.pagerduty
        .accepted()
        .filter((r) => (r.json as { event_action?: string }).event_action === 'trigger');
      return { count: triggers.length, last: triggers.at(-1)?.body ?? '' };
    },
    refusals: [
      {
        what: 'HTTP 400 (an invalid event)',
        arrange: (local) => void local.pagerduty.fail('invalid'),
        code: 'US_ERR_NOTIFY_HTTP',
        transient: false,
      },
      {
        what: 'HTTP 429 (throttled)',
        arrange: (local) => void local.pagerduty.fail('rate-limit'),
        code: 'US_ERR_NOTIFY_HTTP',
        transient: true,
      },
    ],
  },
  opsgenie: {
    section: (local) => ({ type: 'opsgenie', apiKey: OPSGENIE_KEY, baseUrl: local.opsgenie.url }),
    received: (local) => ({
      count: local.opsgenie.creates().length,
      last: local.opsgenie.creates().at(-1)?.body ?? '',
    }),
    refusals: [
      {
        what: 'HTTP 401 (a wrong key)',
        arrange: (local) => ({ type: 'opsgenie', apiKey: 'wrong-key', baseUrl: local.opsgenie.url }),
        code: 'US_ERR_NOTIFY_HTTP',
        transient: false,
      },
      {
        what: 'HTTP 429 (throttled)',
        arrange: (local) => void local.opsgenie.fail('rate-limit'),
        code: 'US_ERR_NOTIFY_HTTP',
        transient: true,
      },
    ],
  },
  ...providerFixtures(() => providers),
};

/** Values for the ${VAR}s of the registry's examples. */
const EXAMPLE_ENV = {
  ...PROVIDER_EXAMPLE_ENV,
  SMTP_PASSWORD: 'example-password',
  TOKEN: 'example-token',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X',
  DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/x',
  NTFY_TOPIC: 'alerts',
  PAGERDUTY_ROUTING_KEY: PAGERDUTY_KEY,
  OPSGENIE_API_KEY: OPSGENIE_KEY,
};

function parse(section: unknown, env: Record<string, string> = {}) {
  return parseConfig(
    JSON.stringify({ sites: ['https://example.com/'], channels: { c: section } }),
    'sites.json',
    env,
  );
}

function problems(section: unknown): ConfigProblem[] {
  try {
    parse(section);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('config was accepted');
}

function fixtureOf(type: string): Fixture {
  const fixture = (FIXTURES as Record<string, Fixture | undefined>)[type];
  if (fixture === undefined) throw new Error(`channel type "${type}" has no fixture in contract.test.ts`);
  return fixture;
}

let local: Local;
beforeAll(async () => {
  local = {
    http: await startWebhookReceiver(),
    smtp: await startSmtpServer({ auth: SMTP_USER }),
    pagerduty: await startPagerDuty(),
    opsgenie: await startOpsgenie(),
  };
});
afterAll(async () => {
  await Promise.all([
    local.http.close(),
    local.smtp.close(),
    local.pagerduty.close(),
    local.opsgenie.close(),
  ]);
});

// The SMS, chat and push providers' stand-ins (provider-fixtures.ts).
let providers: Providers;
beforeAll(async () => {
  providers = await startProviders();
});
afterAll(() => providers.close());

function channelFrom(section: Record<string, unknown>) {
  const config = parse(section);
  const settings = config.channels.c;
  if (settings === undefined) throw new Error('no channel');
  const channel = createChannel('c', settings);
  const redact = createRedactor([...config.secrets, ...channel.secrets]);
  const message = testMessage({ channel: 'c', type: settings.type, host: 'test-host', sites: 1 });
  return { message, send: () => channel.send(message, { timeoutMs: 3000, redact }) };
}

describe('the channel registry', () => {
  it('has a fixture for every type, and no fixture for a type it does not have', () => {
    expect(CHANNEL_TYPES.length).toBeGreaterThan(0);
    for (const type of CHANNEL_TYPES) expect(() => fixtureOf(type), type).not.toThrow();
    expect(Object.keys(FIXTURES).sort()).toEqual([...CHANNEL_TYPES].sort());
  });

  it("matches the README's table of channels: every type, in order, each row naming every key", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    // The table whose header is `| type | settings | sends |`, up to its first non-table line.
    const table = /^\| type +\| settings +\| sends +\|\n(?:\|.*\n)+/m.exec(readme)?.[0] ?? '';
    const rows = [...table.matchAll(/^\| `([a-z]+)` +\|([^|]*)\|/gm)].map((m) => [m[1], m[2] ?? ''] as const);
    expect(rows.map(([type]) => type)).toEqual(CHANNEL_TYPES);
    const settings = new Map(rows);
    for (const type of CHANNEL_TYPES) {
      // The keys every type shares are documented once, in their own table.
      const own = CHANNELS[type].keys.filter(
        (k) => k !== 'type' && !(COMMON_KEYS as readonly string[]).includes(k),
      );
      for (const key of own) {
        expect(settings.get(type), `${type}: ${key}`).toContain(`\`${key}\``);
      }
    }
  });
});

describe.each(CHANNEL_TYPES)('a %s channel', (type) => {
  const spec = CHANNELS[type];
  const required = (z.toJSONSchema(spec.schema, { io: 'input' }).required ?? []).filter((k) => k !== 'type');

  it('has an example that is valid settings of its type', () => {
    const config = parse(JSON.parse(spec.example), EXAMPLE_ENV);
    expect(config.channels.c?.type).toBe(type);
  });

  it('reports each missing required key with its path inside the channel', () => {
    expect(required.length).toBeGreaterThan(0);
    const section = fixtureOf(type).section(local);
    for (const key of required) {
      const { [key]: _, ...without } = section;
      expect(problems(without), key).toEqual([
        { path: `channels.c.${key}`, message: expect.stringMatching(/^missing: expected /) },
      ]);
    }
  });

  it('reports an unknown key with its path, the keys it takes and the example', () => {
    const found = problems({ ...fixtureOf(type).section(local), zzzzzzzz: 1 });
    expect(found).toEqual([
      {
        path: 'channels.c.zzzzzzzz',
        message: `unknown key "zzzzzzzz"; a ${type} channel takes ${spec.keys.join(', ')}, such as ${spec.example}`,
      },
    ]);
    expect(spec.keys).toEqual(expect.arrayContaining(['type', ...required]));
  });

  it('delivers a message to a real local receiver', async () => {
    const fixture = fixtureOf(type);
    const before = fixture.received(local).count;
    const { message, send } = channelFrom(fixture.section(local));
    await send();
    const after = fixture.received(local);
    expect(after.count).toBe(before + 1);
    expect(after.last).toContain(message.title);
  });

  for (const refusal of fixtureOf(type).refusals) {
    it(`rejects with a typed NotifyError on ${refusal.what}`, async () => {
      const fixture = fixtureOf(type);
      const before = fixture.received(local).count;
      const section = refusal.arrange(local) ?? fixture.section(local);
      const error = await rejection(channelFrom(section).send());
      expect(error).toMatchObject({ code: refusal.code, transient: refusal.transient });
      expect(fixture.received(local).count).toBe(before);
    });
  }
});
