// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests, not a mistaken template.

/**
 * The SMS, chat and push channels in the daemon's delivery loops, against their providers' stand-ins: one
 * message per channel per sweep (one text of at most two segments), permanent refusals logged and not
 * retried, rate limits retried after the time the provider asks for, and Matrix's transaction id making
 * a resend after a lost answer or a restart one event. Also `notify-test --channel` on them.
 */

import { describe, expect, it } from 'vitest';
import { renderOutcomes, runNotifyTest } from '../../src/commands/notify-test.js';
import { smsSize } from '../../src/notify/render/sms.js';
import {
  cardTexts,
  MATRIX,
  startMatrix,
  startTeams,
  startTelegram,
  TELEGRAM,
  teamsCardOf,
  telegramText,
} from '../helpers/chat-receivers.js';
import { writeJson } from '../helpers/processes.js';
import { jsonBody } from '../helpers/provider-receiver.js';
import { startGotify } from '../helpers/push-receivers.js';
import { startTwilio, TWILIO } from '../helpers/sms-receivers.js';
import { configWith, FAST } from './harness.js';
import { providerFixtures, startProviders } from './provider-fixtures.js';
import { notificationTestbed } from './testbed.js';

const bed = notificationTestbed();

const SMS_TO = '+15551234567';

/** How many sites a message says it left out. */
const more = (text: string) => Number(/… and (\d+) more$/.exec(text)?.[1] ?? 0);

describe('a sweep with 40 sites down', () => {
  it('sends one text of at most two segments per SMS channel and one grouped message on every chat and push channel', async () => {
    const providers = await bed.closing(startProviders());
    const { twilio, vonage, telegram, teams, googlechat, mattermost, rocketchat, matrix, pushover, gotify } =
      providers;
    const fixtures = Object.entries(providerFixtures(() => providers));
    const config = configWith(Object.fromEntries(fixtures.map(([type, f]) => [type, f.section()])), {
      sites: 50,
    });
    const { notifications, logger } = bed.store.notifications(config);
    bed.start(notifications);
    bed.store.sweep([], 50);
    bed.store.sweep(
      Array.from({ length: 40 }, (_, i) => i + 1),
      50,
    );
    notifications.afterSweep();
    await Promise.all(providers.receivers.map((r) => r.waitForRequests(1)));
    await bed.settled(notifications);
    expect(logger.lines.filter((l) => l.level !== 'info')).toEqual([]);

    for (const r of providers.receivers) {
      expect(r.requests).toHaveLength(1);
      expect(r.accepted()).toHaveLength(1);
    }
    // The texts: two segments at most, by count of GSM-7 septets and independently of it.
    for (const text of [twilio.accepted()[0]?.form.get('Body'), vonage.accepted()[0]?.form.get('text')]) {
      expect(text).toMatch(/^uptime-squirrel: 40 down: Site 1, Site 2, .* and \d+ more$/);
      expect(smsSize(text ?? '').segments).toBeLessThanOrEqual(2);
      expect(text).toMatch(/^[ -~]{1,306}$/);
    }
    // Every chat says it in one message: all 40 by name, or as many as its limit takes and how many more
    // (Telegram's 4,096 characters hold about 37 sites with their URLs and causes).
    const chats = {
      telegram: telegramText(telegram.accepted()[0]),
      teams: cardTexts(teamsCardOf(teams.accepted()[0])).join('\n'),
      googlechat: String(jsonBody(googlechat.accepted()[0] as never).text),
      mattermost: String(jsonBody(mattermost.accepted()[0] as never).text),
      rocketchat: String(jsonBody(rocketchat.accepted()[0] as never).text),
      matrix: String(matrix.events[0]?.content.body),
      pushover: String(pushover.accepted()[0]?.form.get('message')),
      gotify: String(jsonBody(gotify.accepted()[0] as never).message),
    };
    for (const [type, text] of Object.entries(chats)) {
      const named = new Set(text.match(/Site \d+\b/g));
      expect(named.size + more(text), type).toBe(40);
      expect(named.has('Site 41'), type).toBe(false);
      if (type !== 'pushover' && type !== 'gotify') expect(text, type).toContain('40 down');
    }
    expect(more(chats.telegram)).toBeGreaterThan(0);
    for (const type of ['teams', 'googlechat', 'mattermost', 'rocketchat', 'matrix'] as const) {
      expect(more(chats[type]), type).toBe(0);
    }
    expect(notifications.counts().filter((c) => c.status !== 'delivered')).toEqual([]);
  });
});

describe('refusals in the delivery loop', () => {
  it('logs a permanent refusal (Twilio 21211) with its code and never sends it again', async () => {
    const twilio = await bed.closing(startTwilio());
    twilio.fail('invalid-number');
    const config = configWith({
      sms: { type: 'twilio', ...TWILIO, from: '+15557654321', to: SMS_TO, baseUrl: twilio.url },
    });
    const { notifications, logger } = bed.store.notifications(config);
    bed.start(notifications);
    bed.store.sweep([], 3);
    bed.store.sweep([1], 3);
    notifications.afterSweep();
    await twilio.waitForRequests(1);
    await bed.settled(notifications);
    expect(twilio.requests).toHaveLength(1);
    const failure = logger.lines.find((l) => l.level === 'error');
    expect(failure?.message).toMatch(
      /^notify channel sms \(twilio\): sending "1 down: Site 1" failed for good \(US_ERR_NOTIFY_HTTP, HTTP 400 .*\): the Twilio API answered HTTP 400: 21211 The 'To' number \+15551234567 is not a valid phone number\.; not retried/,
    );
    expect(failure?.fields).toMatchObject({ code: 'US_ERR_NOTIFY_HTTP', transient: false });
    expect(logger.text()).not.toContain(TWILIO.authToken);
    // The next sweep's events go out; the refused message stays refused.
    bed.store.sweep([1, 2], 3);
    notifications.afterSweep();
    await twilio.waitForRequests(2);
    await bed.settled(notifications);
    expect(twilio.requests).toHaveLength(2);
    expect(twilio.accepted()[0]?.form.get('Body')).toBe('uptime-squirrel: 1 down: Site 2');
  });

  it("retries Telegram's 429 after the retry_after it asks for, once", async () => {
    const telegram = await bed.closing(startTelegram(TELEGRAM, { retryAfter: 1 }));
    telegram.fail('rate-limit');
    const config = configWith({ tg: { type: 'telegram', ...TELEGRAM, baseUrl: telegram.url } });
    // Backoff alone would retry after 50 ms; the provider's wait is what counts (up to retryMax).
    const { notifications, logger } = bed.store.notifications(config, {
      delivery: { ...FAST, retryMaxMs: 5000 },
    });
    bed.start(notifications);
    bed.store.sweep([], 3);
    bed.store.sweep([1], 3);
    notifications.afterSweep();
    const [first, second] = await telegram.waitForRequests(2);
    await bed.settled(notifications);
    expect(telegram.requests).toHaveLength(2);
    expect(telegram.accepted()).toHaveLength(1);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(logger.lines.find((l) => l.level === 'warn')?.message).toMatch(
      /failed \(US_ERR_NOTIFY_HTTP, transient\): the Telegram Bot API answered HTTP 429: Too Many Requests: retry after 1; retry 1 in 1 s$/,
    );
  });

  it("retries Matrix's M_LIMIT_EXCEEDED after its retry_after_ms, and a Teams 429 after its Retry-After", async () => {
    const matrix = await bed.closing(startMatrix(MATRIX, { retryAfterMs: 700 }));
    const teams = await bed.closing(startTeams());
    matrix.fail('rate-limit');
    teams.fail('rate-limit');
    const config = configWith({
      room: { type: 'matrix', ...MATRIX, baseUrl: matrix.url },
      teams: { type: 'teams', url: teams.webhookUrl },
    });
    const { notifications } = bed.store.notifications(config, { delivery: { ...FAST, retryMaxMs: 5000 } });
    bed.start(notifications);
    bed.store.sweep([], 3);
    bed.store.sweep([2], 3);
    notifications.afterSweep();
    await Promise.all([matrix.waitForRequests(2), teams.waitForRequests(2)]);
    await bed.settled(notifications);
    const gap = (r: { requests: { at: number }[] }) => (r.requests[1]?.at ?? 0) - (r.requests[0]?.at ?? 0);
    expect(gap(matrix)).toBeGreaterThanOrEqual(700);
    expect(gap(teams)).toBeGreaterThanOrEqual(1000);
    expect(matrix.events).toHaveLength(1);
    expect(teams.accepted()).toHaveLength(1);
  });

  it('a Teams card refused as too large (413) is not retried', async () => {
    const teams = await bed.closing(startTeams());
    teams.fail('too-large');
    const { notifications, logger } = bed.store.notifications(
      configWith({ teams: { type: 'teams', url: teams.webhookUrl } }),
    );
    bed.start(notifications);
    bed.store.sweep([], 3);
    bed.store.sweep([3], 3);
    notifications.afterSweep();
    await teams.waitForRequests(1);
    await bed.settled(notifications);
    expect(teams.requests).toHaveLength(1);
    expect(logger.lines.find((l) => l.level === 'error')?.message).toContain(
      'failed for good (US_ERR_NOTIFY_HTTP, HTTP 413',
    );
  });
});

describe('matrix: never twice', () => {
  it('sends again after a lost answer with the same transaction id: the room gets one event', async () => {
    const matrix = await bed.closing(startMatrix());
    matrix.fail('lost-answer');
    const config = configWith({ room: { type: 'matrix', ...MATRIX, baseUrl: matrix.url } });
    const { notifications } = bed.store.notifications(config, { delivery: { ...FAST, sendTimeoutMs: 300 } });
    bed.start(notifications);
    bed.store.sweep([], 3);
    bed.store.sweep([1], 3);
    notifications.afterSweep();
    const [first, second] = await matrix.waitForRequests(2);
    await bed.settled(notifications);
    expect(first?.path).toBe(second?.path);
    expect(matrix.events).toHaveLength(1);
  });

  it('sends again after a restart in the middle of a send: still one event', async () => {
    const matrix = await bed.closing(startMatrix());
    matrix.fail('lost-answer');
    const config = configWith({ room: { type: 'matrix', ...MATRIX, baseUrl: matrix.url } });
    const before = bed.store.notifications(config).notifications;
    before.start();
    bed.store.sweep([], 3);
    bed.store.sweep([1], 3);
    before.afterSweep();
    await matrix.waitForRequests(1);
    // The daemon stops with the send in flight: the row stays pending, marked as maybe sent.
    await before.stop();
    const after = bed.start(bed.store.notifications(config).notifications);
    const [first, second] = await matrix.waitForRequests(2);
    await bed.settled(after);
    expect(first?.path).toBe(second?.path);
    expect(matrix.requests).toHaveLength(2);
    expect(matrix.events).toHaveLength(1);
  });
});

describe('notify-test --channel', () => {
  it('sends a test message through the named provider channels only, and reports their answers', async () => {
    const twilio = await bed.closing(startTwilio());
    const telegram = await bed.closing(startTelegram());
    const gotify = await bed.closing(startGotify());
    const file = await writeJson(bed.dir, 'sites.json', {
      sites: ['https://example.com/'],
      channels: {
        sms: {
          type: 'twilio',
          accountSid: '${SID}',
          authToken: '${TOKEN}',
          from: '+15557654321',
          to: SMS_TO,
          baseUrl: twilio.url,
        },
        tg: { type: 'telegram', botToken: '${BOT}', chatId: TELEGRAM.chatId, baseUrl: telegram.url },
        push: { type: 'gotify', token: 'wrong', baseUrl: gotify.url },
      },
    });
    const out: string[] = [];
    const io = {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => out.push(t) },
      env: { SID: TWILIO.accountSid, TOKEN: TWILIO.authToken, BOT: TELEGRAM.botToken },
    };
    const outcomes = await runNotifyTest(file, { channel: ['sms', 'tg'], timeout: 2000 }, io);
    expect(gotify.requests).toHaveLength(0);
    const text = renderOutcomes(outcomes);
    expect(text).toMatch(/^sms \(twilio\): delivered in \d+ ms: HTTP 201 SM0+1 queued$/m);
    expect(text).toMatch(/^tg \(telegram\): delivered in \d+ ms: HTTP 200 message_id 1$/m);
    expect(text).toMatch(/all 2 channels delivered\n$/);
    expect(twilio.accepted()[0]?.form.get('Body')).toBe(
      'uptime-squirrel: test message for channel sms. If you can read it, the channel works.',
    );
    const failed = renderOutcomes(await runNotifyTest(file, { channel: ['push'], timeout: 2000 }, io));
    expect(failed).toMatch(
      /^push \(gotify\): FAILED in \d+ ms: the Gotify server answered HTTP 401: Unauthorized: you need to provide a valid access token .* \[US_ERR_NOTIFY_HTTP, permanent: check the settings\]$/m,
    );
    for (const secret of [TWILIO.authToken, TELEGRAM.botToken]) expect(text + failed).not.toContain(secret);
  });
});
