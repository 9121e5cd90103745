/**
 * Channel templates: errors found at load with their paths, the documented variables, and hostile values
 * escaped for each channel's format whatever the template says (`{{x}}`, `{{{x}}}` or `{{&x}}`).
 */

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMON_KEYS } from '../../src/channels/common.js';
import { SITE_VARIABLES, VARIABLES } from '../../src/channels/template.js';
import { parseConfig } from '../../src/config/load.js';
import { eventsMessage } from '../../src/notify/compose.js';
import { createChannel } from '../../src/notify/index.js';
import type { Message } from '../../src/notify/message.js';
import { renderHtml } from '../../src/notify/render/html.js';
import { applyTemplate, viewOf } from '../../src/notify/template.js';
import { createRedactor } from '../../src/util/redact.js';
import { configProblems } from '../config/problems.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { jsonOf, startWebhookReceiver, type TestWebhookReceiver } from '../helpers/webhook-receiver.js';
import { down, site, sweepSummary, T0, up } from './fixtures.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function receiver(): Promise<TestWebhookReceiver> {
  const r = await startWebhookReceiver();
  closers.push(() => r.close());
  return r;
}

async function smtp(): Promise<TestSmtpServer> {
  const s = await startSmtpServer();
  closers.push(() => s.close());
  return s;
}

function problems(template: unknown) {
  return configProblems(
    JSON.stringify({
      sites: ['https://example.com/'],
      channels: { c: { type: 'slack', url: 'https://hooks.example.com/x', template } },
    }),
  );
}

function channelOf(settings: Record<string, unknown>) {
  const config = parseConfig(
    JSON.stringify({ sites: ['https://example.com/'], channels: { c: settings } }),
    'sites.json',
    {},
  );
  const channelConfig = config.channels.c;
  if (channelConfig === undefined) throw new Error('no channel');
  const channel = createChannel('c', channelConfig);
  const redact = createRedactor(channel.secrets);
  return (message: Message) => channel.send(message, { timeoutMs: 2000, redact });
}

/** What a hostile server could make a site's name and failure say. */
const HOSTILE_NAME = '<script>alert(1)</script> @everyone <!channel> **bold** "q"';
const HOSTILE_CAUSE = '<img src=x onerror=alert(2)> <https://evil.example|click> ```';

function hostileMessage(): Message {
  return eventsMessage(
    [
      down(1, T0, {
        site: site(1, HOSTILE_NAME),
        cause: { kind: 'http-status', status: 500, message: HOSTILE_CAUSE },
      }),
    ],
    [sweepSummary(3)],
    { id: 'events-c-1-1', now: T0 },
  );
}

describe('a template error is a config error with its path', () => {
  it('reports a template that does not parse, with the line and column', () => {
    expect(problems({ body: 'Sites:\n{{#sites}}{{label}}' })).toEqual([
      {
        path: 'channels.c.template.body',
        message: 'template does not parse: Unclosed section "sites" at line 2, column 20',
      },
    ]);
  });

  it('reports an unknown variable with a suggestion, looked up inside its section', () => {
    expect(
      problems({ title: '{{site.nmae}} is {{site.state}}', body: '{{#sites}}{{lable}} {{title}}{{/sites}}' }),
    ).toEqual([
      {
        path: 'channels.c.template.title',
        message: 'template unknown variable "site.nmae" at line 1, column 1; did you mean "site.name"?',
      },
      {
        path: 'channels.c.template.body',
        message: 'template unknown variable "lable" at line 1, column 11; did you mean "label"?',
      },
    ]);
  });

  it('refuses partials, unknown keys and an empty template', () => {
    expect(problems({ body: '{{> header}}', colour: 'red', title: ' ' })).toEqual([
      { path: 'channels.c.template.title', message: 'the title template is empty' },
      {
        path: 'channels.c.template.body',
        message: 'template partials ({{> header}}) are not supported, at line 1, column 1',
      },
      { path: 'channels.c.template.colour', message: 'unknown key "colour"; a template takes title, body' },
    ]);
  });

  it('accepts every documented variable', () => {
    const body =
      '{{title}} {{text}} {{kind}} {{note}} {{intro}} {{host}} {{channel}} {{at}} {{heldSince}} ' +
      '{{counts.down}} {{counts.recovered}} {{counts.stillDown}} {{counts.monitorOffline}} {{counts.monitorOnline}} ' +
      '{{#sites}}{{name}} {{label}} {{url}} {{checkLink}} {{key}} {{state}} {{cause}} {{since}} {{sinceIso}} ' +
      '{{until}} {{untilIso}} {{duration}} {{durationMs}} {{detail}}{{/sites}} ' +
      '{{#down}}{{label}}{{/down}}{{#recovered}}{{label}}{{/recovered}}{{#stillDown}}{{label}}{{/stillDown}}' +
      '{{#site}}{{name}}{{/site}}{{^site}}several{{/site}}{{#monitor}}{{detail}}{{/monitor}}';
    expect(() => problems({ body })).toThrow(/was accepted/);
  });
});

describe('rendering', () => {
  it('fills the documented variables from the message', () => {
    const message = eventsMessage([down(1), up(2, T0 - 25 * 60_000, T0)], [sweepSummary(1)], {
      id: 'x',
      now: T0,
    });
    const view = viewOf(message, 'ops');
    expect(view).toMatchObject({ title: '1 down, 1 recovered', kind: 'events', channel: 'ops', site: null });
    expect(view.counts).toEqual({ down: 1, recovered: 1, stillDown: 0, monitorOffline: 0, monitorOnline: 0 });
    expect(view.recovered[0]).toMatchObject({
      name: 'Site 2',
      url: 'https://site-2.example.com/health',
      state: 'recovered',
      since: '2024-05-01 09:35:00 UTC',
      until: '2024-05-01 10:00:00 UTC',
      duration: '25m',
      durationMs: 1_500_000,
    });
    const shaped = applyTemplate(
      message,
      {
        title: '{{counts.down}} site(s) down on {{channel}}',
        body: '{{#down}}DOWN {{label}}: {{cause}}{{/down}}',
      },
      'ops',
    );
    expect(shaped.title).toBe('1 site(s) down on ops');
    expect(shaped.body?.((t) => t)).toBe('DOWN Site 1: HTTP 500, expected 200-399');
  });

  it('escapes hostile values for Slack markup, even in triple braces', async () => {
    const r = await receiver();
    const send = channelOf({
      type: 'slack',
      url: r.url,
      template: {
        title: '{{{site.name}}}',
        body: '*Alert* {{#sites}}{{{label}}} / {{&cause}} / {{name}}{{/sites}}',
      },
    });
    await send(hostileMessage());
    const text = jsonOf<{ text: string }>(r.delivered()[0]).text;
    expect(text).toContain('*Alert* &lt;script&gt;');
    expect(text).not.toMatch(/<script>|<!channel>|<https:\/\/evil/);
    expect(text).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it('escapes hostile values for Discord markdown and mentions nobody', async () => {
    const r = await receiver();
    const send = channelOf({
      type: 'discord',
      url: r.url,
      template: { body: '**{{{site.label}}}** {{site.cause}}' },
    });
    await send(hostileMessage());
    const payload = r.delivered()[0]?.json as { content: string; allowed_mentions: unknown };
    expect(payload.content).toContain('**\\<script\\>alert\\(1\\)\\</script\\> @everyone');
    expect(payload.content).toContain('\\*\\*bold\\*\\*');
    expect(payload.allowed_mentions).toEqual({ parse: [] });
  });

  it('escapes hostile values for an email HTML part, keeping the template own tags', async () => {
    const mail = await smtp();
    const send = channelOf({
      type: 'email',
      smtp: mail.url(null),
      from: 'monitor@example.com',
      to: ['ops@example.com'],
      template: { title: 'DOWN {{site.name}}', body: '<b>{{{site.name}}}</b>\n{{site.cause}}' },
    });
    await send(hostileMessage());
    const received = mail.messages[0];
    // The subject is MIME-encoded (it holds "<" and quotes); one header line, whatever the name.
    expect(received?.subject).toMatch(/^=\?UTF-8\?Q\?=5Buptime-squirrel=5D_DOWN_/);
    expect(received?.html).toContain('<b>&lt;script&gt;alert(1)&lt;/script&gt; @everyone');
    expect(received?.html).not.toContain('<script>');
    expect(received?.html).not.toContain('<img');
    // The text part carries the template's text as it is: plain text needs no escaping.
    expect(received?.text).toContain(`<b>${HOSTILE_NAME}</b>`);
  });

  it('keeps a webhook document well-formed JSON whatever the values', async () => {
    const r = await receiver();
    const send = channelOf({
      type: 'webhook',
      url: r.url,
      template: { body: '{"site": "{{{site.name}}}", "cause": "{{site.cause}}"}' },
    });
    await send(hostileMessage());
    const doc = r.delivered()[0]?.json as { text: string; entries: unknown[] };
    expect(doc.entries).toHaveLength(1);
    expect(doc.text).toContain(HOSTILE_NAME);
  });

  it('renders the same HTML escaping in a rendered message as in its own', () => {
    const shaped = applyTemplate(hostileMessage(), { title: null, body: '{{&site.name}}' }, 'c');
    expect(renderHtml(shaped)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe("the README's section on events, quiet hours and templates", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(
    readme.indexOf('### Which events, when, and in what words\n'),
    readme.indexOf('### Delivery: never lost'),
  );

  it('names every shared key and every template variable', () => {
    for (const key of COMMON_KEYS) expect(section, key).toContain(`| \`${key}\` |`);
    const names = [
      ...Object.keys(VARIABLES).filter((k) => k !== 'counts'),
      ...Object.keys(VARIABLES.counts).map((k) => `counts.${k}`),
      ...Object.keys(SITE_VARIABLES),
    ];
    for (const name of names) expect(section, name).toContain(`\`${name}\``);
  });

  it('shows an example that validates', () => {
    const example = /```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const config = parseConfig(
      JSON.stringify({ sites: ['https://a.example/'], ...JSON.parse(example) }),
      'sites.json',
      {
        PAGERDUTY_ROUTING_KEY: 'R0123456789abcdef0123456789ABCDE',
        SLACK_WEBHOOK_URL: 'https://hooks.example.com/x',
      },
    );
    expect(config.channels.team?.quietHours).toMatchObject({ from: '22:00', to: '07:00', except: ['down'] });
    expect(config.channels.pager?.events).toEqual(['down', 'up']);
  });
});
