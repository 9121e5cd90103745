// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests, not a mistaken template.

import { describe, expect, it } from 'vitest';
import { eventsMessage, testMessage } from '../../src/notify/compose.js';
import { matrixTxnId } from '../../src/notify/matrix.js';
import {
  cardTexts,
  GOOGLE_CHAT,
  MATRIX,
  startGoogleChat,
  startMatrix,
  startMattermost,
  startRocketChat,
  startTeams,
  startTelegram,
  TELEGRAM,
  teamsCardOf,
  telegramText,
} from '../helpers/chat-receivers.js';
import { refusedUrl } from '../helpers/ports.js';
import { jsonBody } from '../helpers/provider-receiver.js';
import { down, rejection, site, sweepSummary, T0, up } from './fixtures.js';
import { channelOf } from './provider-fixtures.js';
import { notificationTestbed } from './testbed.js';

const bed = notificationTestbed();

const message = eventsMessage([down(1), up(2, T0 - 60_000, T0)], [sweepSummary(7)], { id: 'events-c-1-1' });

/** A site name and a server's error text written to cause trouble in chat markup. */
const hostile = eventsMessage(
  [
    down(1, T0, {
      site: site(1, '@channel <!channel> <users/all> @room *bold* [x](https://evil.example/) & <b>'),
      cause: {
        kind: 'http-status',
        status: 500,
        message: 'HTTP 500: <script>alert(1)</script> @here & <@U123>',
      },
    }),
  ],
  [],
  { id: 'events-c-2-2' },
);

const many = (n: number) =>
  eventsMessage(
    Array.from({ length: n }, (_, i) => down(i + 1)),
    [],
    { id: `events-c-1-${n}` },
  );

describe('telegram', () => {
  it('posts sendMessage to the bot token path: the chat, the topic, Telegram HTML, no link previews', async () => {
    const r = await bed.closing(startTelegram(TELEGRAM, { threads: [42] }));
    const { send } = channelOf(
      { type: 'telegram', botToken: '${BOT}', chatId: String(TELEGRAM.chatId), threadId: 42, baseUrl: r.url },
      { BOT: TELEGRAM.botToken },
    );
    const delivery = await send(message);
    expect(delivery.answer).toBe('HTTP 200 message_id 1');
    const [request] = r.accepted();
    expect(request?.path).toBe(`/bot${TELEGRAM.botToken}/sendMessage`);
    expect(jsonBody(request as never)).toMatchObject({
      chat_id: TELEGRAM.chatId,
      message_thread_id: 42,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
    const text = telegramText(request);
    expect(text.split('\n')[0]).toBe('uptime-squirrel: 1 down, 1 recovered');
    expect(text).toContain('- Site 1 (https://site-1.example.com/health): HTTP 500');
  });

  it('escapes what a server or a site name says, so Telegram parses it and shows it as written', async () => {
    const r = await bed.closing(startTelegram());
    await channelOf({ type: 'telegram', ...TELEGRAM, baseUrl: r.url }).send(hostile);
    expect(r.accepted()).toHaveLength(1);
    const text = telegramText(r.accepted()[0]);
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('<!channel> <users/all> @room *bold* [x](https://evil.example/) & <b>');
  });

  it('stays within 4,096 characters for 1,000 sites and says how many more', async () => {
    const r = await bed.closing(startTelegram());
    await channelOf({ type: 'telegram', ...TELEGRAM, baseUrl: r.url }).send(many(1000));
    const text = telegramText(r.accepted()[0]);
    expect([...text].length).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/… and \d+ more$/);
  });

  it("takes a 429's retry_after as the time to wait; a chat not found or a moved group is permanent", async () => {
    const r = await bed.closing(startTelegram(TELEGRAM, { retryAfter: 7 }));
    r.fail('rate-limit', 'chat-not-found', 'migrated');
    const { send } = channelOf({ type: 'telegram', ...TELEGRAM, baseUrl: r.url });
    expect(await rejection(send(message))).toMatchObject({
      code: 'US_ERR_NOTIFY_HTTP',
      transient: true,
      retryAfterMs: 7000,
      message: 'the Telegram Bot API answered HTTP 429: Too Many Requests: retry after 7',
    });
    expect(await rejection(send(message))).toMatchObject({
      transient: false,
      message: 'the Telegram Bot API answered HTTP 400: Bad Request: chat not found',
    });
    const moved = await rejection(send(message));
    expect(moved.transient).toBe(false);
    expect(moved.message).toContain('set "chatId" to -1009876543210');
  });

  it('never shows the bot token, which is part of the URL', async () => {
    const base = (await refusedUrl()).replace(/\/$/, '');
    const { send } = channelOf({ type: 'telegram', ...TELEGRAM, baseUrl: base });
    const error = await rejection(send(message));
    expect(error).toMatchObject({ code: 'US_ERR_NOTIFY_NETWORK', transient: true });
    const r = await bed.closing(
      startTelegram({ ...TELEGRAM, botToken: '1:other-bot-token-xxxxxxxxxxxxxxxx' }),
    );
    const refused = await rejection(
      channelOf({ type: 'telegram', ...TELEGRAM, baseUrl: r.url }).send(message),
    );
    for (const e of [error, refused]) {
      expect(e.message).not.toContain(TELEGRAM.botToken);
      expect(JSON.stringify(e.answer)).not.toContain(TELEGRAM.botToken);
    }
    expect(refused.message).toBe('the Telegram Bot API answered HTTP 401: Unauthorized');
  });
});

describe('teams', () => {
  it('posts one Adaptive Card whose texts are TextRuns, which Teams never reads as markdown', async () => {
    const r = await bed.closing(startTeams());
    const delivery = await channelOf({ type: 'teams', url: '${TEAMS}' }, { TEAMS: r.webhookUrl }).send(
      hostile,
    );
    expect(delivery.answer).toBe('HTTP 202');
    const card = teamsCardOf(r.accepted()[0]) as { version: string; body: { type: string }[] };
    expect(card.version).toBe('1.4');
    expect(card.body.every((b) => b.type === 'RichTextBlock')).toBe(true);
    expect(cardTexts(card)).toEqual([
      'uptime-squirrel: 1 down: @channel <!channel> <users/all> @room *bold* [x](https://evil.example/) & <b>',
      'Down (1)',
      expect.stringMatching(
        /^• @channel <!channel> .* \(https:\/\/site-1\.example\.com\/health\): HTTP 500: <script>/,
      ),
    ]);
  });

  it('keeps a card for 1,000 sites under 28 KB, saying how many more; 413 is permanent, 429 waits', async () => {
    const r = await bed.closing(startTeams());
    const { send } = channelOf({ type: 'teams', url: r.webhookUrl });
    await send(many(1000));
    const [request] = r.accepted();
    expect(Buffer.byteLength(request?.body ?? '')).toBeLessThanOrEqual(28 * 1024);
    expect(cardTexts(teamsCardOf(request)).at(-1)).toMatch(/^… and \d+ more$/);
    r.fail('too-large', 'rate-limit');
    expect(await rejection(send(message))).toMatchObject({ transient: false, answer: { httpStatus: 413 } });
    expect(await rejection(send(message))).toMatchObject({ transient: true, retryAfterMs: 1000 });
  });
});

describe('google chat', () => {
  it('posts {text} with bold in its own markup, and mentions and links broken up', async () => {
    const r = await bed.closing(startGoogleChat());
    const delivery = await channelOf({ type: 'googlechat', url: r.webhookUrl }).send(hostile);
    expect(delivery.answer).toBe(`HTTP 200 spaces/${GOOGLE_CHAT.space}/messages/msg1.msg1`);
    const text = String(jsonBody(r.accepted()[0] as never).text);
    expect(text.split('\n')[0]).toMatch(/^\*uptime-squirrel: 1 down: /);
    for (const danger of [
      '<users/all>',
      '<!channel>',
      '@channel',
      '@room',
      '@here',
      '](https://',
      '<@U123>',
    ]) {
      expect(text, danger).not.toContain(danger);
    }
    // Only an invisible joiner was added: the text reads the same.
    expect(text.replace(/\u2060/g, '')).toContain('@channel <!channel> <users/all> @room');
  });

  it("quotes Google's error status; RESOURCE_EXHAUSTED is tried again, NOT_FOUND is not", async () => {
    const r = await bed.closing(startGoogleChat());
    r.fail('rate-limit', 'not-found');
    const { send } = channelOf({ type: 'googlechat', url: r.webhookUrl });
    expect(await rejection(send(message))).toMatchObject({
      transient: true,
      message:
        'the Google Chat webhook answered HTTP 429: RESOURCE_EXHAUSTED: Resource has been exhausted (e.g. check quota).',
    });
    expect(await rejection(send(message))).toMatchObject({ transient: false, answer: { httpStatus: 404 } });
    const wrongKey = await rejection(
      channelOf({ type: 'googlechat', url: r.webhookUrl.replace(GOOGLE_CHAT.token, 'wrong') }).send(message),
    );
    expect(wrongKey.message).toContain('UNAUTHENTICATED');
    expect(wrongKey.message).not.toContain(GOOGLE_CHAT.key);
  });
});

describe('mattermost and rocket.chat (Slack-compatible webhooks)', () => {
  it('mattermost: **bold**, markdown escaped, no Slack <!channel> or <url|text> form, no @-mention', async () => {
    const r = await bed.closing(startMattermost());
    await channelOf({ type: 'mattermost', url: r.webhookUrl, username: 'Squirrel' }).send(hostile);
    const body = jsonBody(r.accepted()[0] as never);
    expect(body.username).toBe('Squirrel');
    const text = String(body.text);
    expect(text.split('\n')[0]).toMatch(/^\*\*uptime\\-squirrel: 1 down: /);
    expect(text).toContain('&lt;\\!channel&gt;');
    expect(text).toContain('\\*bold\\*');
    for (const danger of ['<!channel>', '@channel', '@here', '@room', '<script>']) {
      expect(text, danger).not.toContain(danger);
    }
  });

  it('rocket.chat: *bold*, the alias, mentions and links broken up', async () => {
    const r = await bed.closing(startRocketChat());
    const delivery = await channelOf({ type: 'rocketchat', url: r.webhookUrl, alias: 'Squirrel' }).send(
      hostile,
    );
    expect(delivery.answer).toBe('HTTP 200 {"success":true}');
    const body = jsonBody(r.accepted()[0] as never);
    expect(body.alias).toBe('Squirrel');
    const text = String(body.text);
    expect(text.split('\n')[0]).toMatch(/^\*uptime-squirrel: 1 down: /);
    for (const danger of ['@channel', '@here', '<!channel>', '](https://'])
      expect(text, danger).not.toContain(danger);
  });

  it('both: a wrong webhook is permanent, a 429 is tried again', async () => {
    const mm = await bed.closing(startMattermost());
    const rc = await bed.closing(startRocketChat());
    mm.fail('rate-limit');
    rc.fail('rate-limit');
    expect(
      await rejection(channelOf({ type: 'mattermost', url: mm.webhookUrl }).send(message)),
    ).toMatchObject({
      transient: true,
      retryAfterMs: 1000,
    });
    expect(
      await rejection(channelOf({ type: 'rocketchat', url: rc.webhookUrl }).send(message)),
    ).toMatchObject({
      transient: true,
    });
    const gone = await rejection(
      channelOf({ type: 'mattermost', url: `${mm.url}/hooks/gone` }).send(message),
    );
    expect(gone).toMatchObject({ transient: false, answer: { httpStatus: 400 } });
    expect(gone.message).toContain('Invalid webhook.');
  });
});

describe('matrix', () => {
  it('PUTs an m.room.message with a Bearer token: text, HTML, and no mentions', async () => {
    const r = await bed.closing(startMatrix());
    const { send } = channelOf(
      { type: 'matrix', baseUrl: `${r.url}/`, roomId: MATRIX.roomId, accessToken: '${TOKEN}' },
      { TOKEN: MATRIX.accessToken },
    );
    const delivery = await send(hostile);
    expect(delivery.answer).toBe('HTTP 200 $event1:example.org');
    const [request] = r.accepted();
    expect(request?.method).toBe('PUT');
    expect(request?.path).toBe(
      `/_matrix/client/v3/rooms/${MATRIX.roomId}/send/m.room.message/uptime-squirrel.events-c-2-2`,
    );
    expect(request?.headers.authorization).toBe(`Bearer ${MATRIX.accessToken}`);
    const content = r.events[0]?.content as Record<string, string>;
    expect(content).toMatchObject({ msgtype: 'm.text', format: 'org.matrix.custom.html', 'm.mentions': {} });
    expect(content.body).toContain('@channel <!channel> <users/all> @room');
    expect(content.formatted_body).toContain('<b>uptime-squirrel: 1 down: @channel &lt;!channel&gt;');
    expect(content.formatted_body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(content.formatted_body).not.toContain('<script>');
  });

  it('sends the same message again with the same transaction id: one event, not two', async () => {
    const r = await bed.closing(startMatrix());
    const { send } = channelOf({ type: 'matrix', ...MATRIX, baseUrl: r.url });
    const first = await send(message);
    const again = await send({ ...message, note: 'The monitor restarted while sending this message' });
    expect(r.requests).toHaveLength(2);
    expect(r.events).toHaveLength(1);
    expect(again.answer).toBe(first.answer);
    expect(r.events[0]?.txnId).toBe(matrixTxnId(message));
    // Another message is another transaction.
    await send(testMessage({ channel: 'c', type: 'matrix', host: 'h', sites: 1 }));
    expect(r.events).toHaveLength(2);
  });

  it('waits the retry_after_ms of M_LIMIT_EXCEEDED; M_FORBIDDEN and an unknown token are permanent', async () => {
    const r = await bed.closing(startMatrix(MATRIX, { retryAfterMs: 1500 }));
    r.fail('rate-limit', 'forbidden');
    const { send } = channelOf({ type: 'matrix', ...MATRIX, baseUrl: r.url });
    expect(await rejection(send(message))).toMatchObject({
      transient: true,
      retryAfterMs: 1500,
      message: 'the Matrix homeserver answered HTTP 429: M_LIMIT_EXCEEDED Too Many Requests',
    });
    expect(await rejection(send(message))).toMatchObject({ transient: false, answer: { httpStatus: 403 } });
    const unknown = await rejection(
      channelOf({ type: 'matrix', ...MATRIX, accessToken: 'syt_x', baseUrl: r.url }).send(message),
    );
    expect(unknown.message).toBe(
      'the Matrix homeserver answered HTTP 401: M_UNKNOWN_TOKEN Invalid access token passed.',
    );
  });

  it('keeps an event for 10,000 sites under the 65,536 bytes a homeserver takes', async () => {
    const r = await bed.closing(startMatrix());
    await channelOf({ type: 'matrix', ...MATRIX, baseUrl: r.url }).send(many(10_000));
    expect(r.events).toHaveLength(1);
    expect(Buffer.byteLength(r.requests[0]?.body ?? '')).toBeLessThanOrEqual(65_536);
  });
});

describe("a channel's template", () => {
  it('teams: the body in one TextRun, values as written, never markdown', async () => {
    const r = await bed.closing(startTeams());
    await channelOf({
      type: 'teams',
      url: r.webhookUrl,
      template: {
        title: '{{counts.down}} site(s) down',
        body: '{{#down}}{{name}} is down: {{cause}}\n{{/down}}',
      },
    }).send(hostile);
    expect(cardTexts(teamsCardOf(r.accepted()[0]))).toEqual([
      'uptime-squirrel: 1 site(s) down',
      '@channel <!channel> <users/all> @room *bold* [x](https://evil.example/) & <b> is down: HTTP 500: <script>alert(1)</script> @here & <@U123>',
    ]);
  });
});
