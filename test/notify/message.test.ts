import { describe, expect, it } from 'vitest';
import { eventsMessage, summaryMessage, testMessage } from '../../src/notify/compose.js';
import { discordDialect, discordPayload } from '../../src/notify/discord.js';
import { entriesOf } from '../../src/notify/fold.js';
import { ntfyPayload } from '../../src/notify/ntfy.js';
import { renderHtml } from '../../src/notify/render/html.js';
import { renderText } from '../../src/notify/render/text.js';
import { slackPayload } from '../../src/notify/slack.js';
import { fitLines, oneLine } from '../../src/notify/text.js';
import { webhookPayload } from '../../src/notify/webhook.js';
import { down, event, iso, site, sweepSummary, T0, up } from './fixtures.js';

const MIN = 60_000;

describe('grouping the events of a sweep into one message', () => {
  it('counts each group in the title and names every site with its URL and cause', () => {
    const events = [down(1), down(2), down(3, T0, { site: site(3, null) }), up(4, T0 - 5 * MIN, T0)];
    const message = eventsMessage(events, [sweepSummary()], { id: 'm1' });
    expect(message.title).toBe('3 down, 1 recovered');
    const text = renderText(message);
    expect(text).toContain('uptime-squirrel: 3 down, 1 recovered');
    expect(text).toContain(
      '- Site 1 (https://site-1.example.com/health): HTTP 500, expected 200-399; down since 2024-05-01 10:00:00 UTC',
    );
    expect(text).toContain('- Site 2 (https://site-2.example.com/health)');
    // No name: the URL is the label, once.
    expect(text).toContain('- https://site-3.example.com/health: HTTP 500');
    expect(text).toContain(
      '- Site 4 (https://site-4.example.com/health): was down from 2024-05-01 09:55:00 UTC to 2024-05-01 10:00:00 UTC (5m): HTTP 500',
    );
    expect(text.indexOf('Down (3)')).toBeLessThan(text.indexOf('Recovered (1)'));
  });

  it('names the site in the title when there is only one', () => {
    expect(eventsMessage([down(7)], [], { id: 'x' }).title).toBe('1 down: Site 7');
  });

  it('folds a down and its recovery into one "was down from t1 to t2" entry, never a bare recovery', () => {
    const entries = entriesOf([down(1, T0), up(1, T0, T0 + 3 * MIN)]);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: 'recovered',
      since: iso(T0),
      until: iso(T0 + 3 * MIN),
      durationMs: 3 * MIN,
      cause: 'HTTP 500, expected 200-399',
    });
    const text = renderText(eventsMessage([down(1, T0), up(1, T0, T0 + 3 * MIN)], [], { id: 'x' }));
    expect(text).toContain('1 recovered: Site 1');
    expect(text).toContain('was down from 2024-05-01 10:00:00 UTC to 2024-05-01 10:03:00 UTC (3m)');
    expect(text).not.toContain('Down (');
  });

  it('keeps two outages of the same site apart', () => {
    const entries = entriesOf([down(1, T0), up(1, T0, T0 + MIN), down(1, T0 + 2 * MIN, { incidentId: 99 })]);
    expect(entries.map((e) => e.kind)).toEqual(['recovered', 'down']);
  });

  it('adds a reminder to a down in the same message, and reports a lone reminder as still down', () => {
    const reminder = (n: number) =>
      event('still-down', {
        site: site(n),
        incidentId: n,
        downSince: iso(T0),
        downForMs: 60 * MIN,
        at: iso(T0 + 60 * MIN),
      });
    expect(entriesOf([down(1), reminder(1)])).toMatchObject([{ kind: 'down', durationMs: 60 * MIN }]);
    const message = eventsMessage([reminder(2)], [], { id: 'x' });
    expect(message.title).toBe('1 still down: Site 2');
    expect(renderText(message)).toContain('down since 2024-05-01 10:00:00 UTC (1h so far)');
  });

  it('reports the monitor going offline and back as one entry', () => {
    const offline = event('monitor-offline', { failed: 9, checked: 10, kinds: { dns: 9 } });
    const online = event('monitor-online', {
      at: iso(T0 + 10 * MIN),
      downSince: iso(T0),
      downForMs: 10 * MIN,
    });
    expect(eventsMessage([offline], [], { id: 'x' }).title).toBe('monitor offline');
    expect(renderText(eventsMessage([offline], [], { id: 'x' }))).toContain(
      '9 of 10 checks got no response (9 dns) at ',
    );
    const both = eventsMessage([offline, online], [], { id: 'x' });
    expect(both.title).toBe('monitor back online');
    expect(renderText(both)).toContain(
      'offline from 2024-05-01 10:00:00 UTC to 2024-05-01 10:10:00 UTC (10m)',
    );
  });

  it('says when the message may repeat one sent before a crash', () => {
    const text = renderText(eventsMessage([down(1)], [], { id: 'x', maybeRepeat: true }));
    expect(text.split('\n')[0]).toMatch(/^Note: .*may have received part of it already/);
  });
});

describe('text from servers cannot forge lines, headers or markup', () => {
  const hostile = down(1, T0, {
    site: { key: 'k', url: 'https://evil.example/', name: 'Evil\r\nBcc: victim@example.com' },
    cause: {
      kind: 'http-status',
      status: 500,
      message: 'oops\r\nSubject: forged\n\n<script>alert(1)</script> <@everyone> @here *bold*',
    },
  });
  const message = eventsMessage([hostile], [], { id: 'x' });

  it('keeps every outside text on one line in the title and the text body', () => {
    expect(message.title).not.toMatch(/[\r\n]/);
    expect(message.title).toBe('1 down: Evil Bcc: victim@example.com');
    const lines = renderText(message).split('\n');
    expect(lines.filter((l) => l.startsWith('Subject:') || l.startsWith('Bcc:'))).toEqual([]);
    expect(lines.find((l) => l.includes('oops'))).toContain('oops Subject: forged <script>');
  });

  it('escapes HTML', () => {
    const html = renderHtml(message);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('builds webhook JSON with JSON.stringify only', () => {
    const parsed = JSON.parse(webhookPayload(message)) as {
      entries: { site: { name: string } }[];
      events: unknown[];
    };
    expect(parsed.entries[0]?.site.name).toBe('Evil Bcc: victim@example.com');
    expect(parsed.events).toHaveLength(1);
  });

  it('escapes chat markup and disables Discord mentions', () => {
    const slack = JSON.parse(slackPayload(message)) as { text: string };
    expect(slack.text).toContain('&lt;script&gt;');
    expect(slack.text).toContain('&lt;@everyone&gt;');
    expect(slack.text).not.toMatch(/<[@!]/);
    const discord = JSON.parse(discordPayload(message, null)) as {
      content: string;
      allowed_mentions: unknown;
    };
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    expect(discord.content).toContain('\\*bold\\*');
    expect(discord.content).toContain('\\<@everyone\\>');
    expect(discordDialect.escape('a_b')).toBe('a\\_b');
  });
});

describe('size limits of chat services', () => {
  const many = Array.from({ length: 1000 }, (_, i) => down(i + 1));
  const message = eventsMessage(many, [], { id: 'x' });

  it('keeps every site in the email text', () => {
    const text = renderText(message);
    expect(message.title).toBe('1000 down');
    for (const n of [1, 500, 1000]) expect(text).toContain(`Site ${n} (`);
  });

  it('cuts chat messages with a line saying how many were left out', () => {
    const discord = (JSON.parse(discordPayload(message, null)) as { content: string }).content;
    expect(discord.length).toBeLessThanOrEqual(2000);
    expect(discord).toMatch(/… and \d+ more$/);
    const slack = (JSON.parse(slackPayload(message)) as { text: string }).text;
    expect(slack.length).toBeLessThanOrEqual(4000);
    const ntfy = JSON.parse(
      ntfyPayload(message, {
        type: 'ntfy',
        server: 'https://ntfy.sh/',
        topic: 't',
        token: null,
        priority: null,
      }),
    ) as { message: string; priority: number; topic: string };
    expect(Buffer.byteLength(ntfy.message)).toBeLessThanOrEqual(4096);
    expect(ntfy.priority).toBe(4);
    expect(ntfy.topic).toBe('t');
  });

  it('fitLines keeps whole lines', () => {
    expect(fitLines(['aaaa', 'bbbb', 'cccc'], 100)).toBe('aaaa\nbbbb\ncccc');
    expect(fitLines(['aaaa', 'bbbb', 'cccc', 'dddd'], 18)).toBe('aaaa\n… and 3 more');
    expect(oneLine('a\r\n\tb\u2028c\u0000')).toBe('a b c');
  });
});

describe('test and summary messages', () => {
  it('a test message names the channel and host', () => {
    const message = testMessage({ channel: 'ops-mail', type: 'email', host: 'box', sites: 3, now: T0 });
    expect(message.title).toBe('test message for channel ops-mail');
    expect(renderText(message)).toContain(
      'on box, sent at 2024-05-01 10:00:00 UTC through the channel "ops-mail" (email)',
    );
  });

  it('the summary lists the uptime of every site, lowest first', () => {
    const message = summaryMessage(
      {
        since: iso(T0 - 86_400_000),
        until: iso(T0),
        sites: [
          {
            url: 'https://a.example/',
            name: 'A',
            state: 'up',
            stateSince: null,
            uptimePct: 100,
            checks: 288,
            offlineChecks: 0,
            maintenanceChecks: 0,
            p50Ms: 40,
            p95Ms: 90,
            incidents: [],
          },
          {
            url: 'https://b.example/',
            name: null,
            state: 'down',
            stateSince: null,
            uptimePct: 97.5,
            checks: 288,
            offlineChecks: 0,
            maintenanceChecks: 0,
            p50Ms: 50,
            p95Ms: 120,
            incidents: [{ start: iso(T0 - 3600_000), end: null, cause: 'refused' }],
          },
        ],
        offline: [],
        silences: [],
      },
      { id: 's' },
    );
    expect(message.title).toBe('daily summary: 2 sites, 98.750% up, 1 incident, 1 down now');
    const text = renderText(message);
    expect(text.indexOf('https://b.example/')).toBeLessThan(text.indexOf('- A ('));
    expect(text).toContain('- A (https://a.example/): 100% up over 288 checks, p95 90 ms, 0 incidents');
  });
});
