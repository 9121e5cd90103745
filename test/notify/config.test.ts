// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSmtpUrl } from '../../src/channels/email.js';
import { CHANNEL_TYPES } from '../../src/channels/index.js';
import { splitTopicUrl } from '../../src/channels/ntfy.js';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError, type ConfigProblem } from '../../src/core/errors.js';
import { PROVIDER_EXAMPLE_ENV } from './provider-fixtures.js';

function problems(config: unknown, env: Record<string, string> = {}): ConfigProblem[] {
  try {
    parseConfig(JSON.stringify(config), 'sites.json', env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('config was accepted');
}

const mail = {
  type: 'email',
  smtp: 'smtp://monitor:${SMTP_PASSWORD}@mail.example.com:587',
  from: 'monitor@example.com',
  to: ['ops@example.com'],
};

describe('channels', () => {
  it('accepts one channel of every type and resolves their settings', () => {
    const config = parseConfig(
      JSON.stringify({
        sites: ['https://example.com/'],
        channels: {
          'ops-mail': mail,
          hook: {
            type: 'webhook',
            url: 'https://hooks.example.com/x',
            headers: { Authorization: 'Bearer ${T}' },
          },
          team: { type: 'slack', url: '${SLACK_WEBHOOK_URL}' },
          gamers: { type: 'discord', url: 'https://discord.com/api/webhooks/1/abc', username: 'squirrel' },
          phone: {
            type: 'ntfy',
            url: 'https://ntfy.example.com/base/alerts',
            token: '${T}',
            priority: 'high',
          },
        },
      }),
      'sites.json',
      {
        SMTP_PASSWORD: 'p@ss/w#rd?',
        T: 'tok-123',
        SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X',
      },
    );
    expect(config.channels['ops-mail']).toEqual({
      type: 'email',
      smtp: { secure: false, host: 'mail.example.com', port: 587, user: 'monitor', password: 'p@ss/w#rd?' },
      from: 'monitor@example.com',
      to: ['ops@example.com'],
      subjectPrefix: '[uptime-squirrel]',
    });
    expect(config.channels.hook).toEqual({
      type: 'webhook',
      url: 'https://hooks.example.com/x',
      method: 'POST',
      headers: { Authorization: 'Bearer tok-123' },
    });
    expect(config.channels.team).toEqual({ type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' });
    expect(config.channels.phone).toEqual({
      type: 'ntfy',
      server: 'https://ntfy.example.com/base/',
      topic: 'alerts',
      token: 'tok-123',
      priority: 4,
    });
    // Everything substituted under channels is a secret every output masks.
    expect(config.secrets).toEqual(expect.arrayContaining(['p@ss/w#rd?', 'tok-123']));
  });

  it('reports every problem with its path inside the channel, with did-you-mean', () => {
    expect(
      problems(
        {
          sites: ['https://example.com/'],
          channels: {
            'ops-mail': { ...mail, subjet: 'x', to: [] },
            team: { type: 'slak', url: 'https://hooks.slack.com/x' },
            bare: {},
            hook: {
              type: 'webhook',
              url: 'ftp://token-123@hooks.example.com/x',
              headers: { 'X-A': 'a\r\nb' },
            },
            'bad name': { type: 'ntfy', url: 'https://ntfy.sh/' },
          },
        },
        { SMTP_PASSWORD: 'x' },
      ),
    ).toEqual([
      { path: 'channels["ops-mail"].to', message: 'the list is empty: give at least one address' },
      { path: 'channels["ops-mail"].subjet', message: 'unknown key "subjet"; did you mean "subjectPrefix"?' },
      { path: 'channels.team.type', message: 'unknown channel type "slak"; did you mean "slack"?' },
      {
        path: 'channels.bare.type',
        message: `missing: expected "type", one of ${CHANNEL_TYPES.map((t) => `"${t}"`).join(', ')}`,
      },
      {
        path: 'channels.hook.url',
        message: expect.stringMatching(
          /^unsupported scheme "ftp:".*\(the value is not shown: it may be a secret\)$/,
        ),
      },
      { path: 'channels.hook.headers["X-A"]', message: expect.stringMatching(/CR, LF or NUL/) },
      { path: 'channels["bad name"]', message: expect.stringMatching(/is not a valid channel name/) },
    ]);
  });

  it('never quotes a password or webhook URL in a problem', () => {
    const found = problems(
      {
        sites: ['https://example.com/'],
        channels: {
          a: { ...mail, smtp: 'smtp://u:${SMTP_PASSWORD}@mail.example.com/x?y' },
          b: { type: 'slack', url: 'not a url ${SMTP_PASSWORD}' },
        },
      },
      { SMTP_PASSWORD: 's3cr/et@pw' },
    );
    expect(found.map((p) => p.path)).toEqual(['channels.a.smtp', 'channels.b.url']);
    for (const p of found) {
      expect(p.message).not.toContain('s3cr');
      expect(p.message).not.toContain('et@pw');
    }
    expect(found[0]?.message).toContain('"smtp://***@mail.example.com/x?y" has a path or query');
  });

  it('refuses addresses that would add a header or a second recipient', () => {
    const found = problems(
      {
        sites: ['https://example.com/'],
        channels: {
          m: {
            ...mail,
            from: 'a@example.com\r\nBcc: evil@example.com',
            to: ['ops@example.com, evil@example.com', 'Ops <ops@example.com>'],
          },
        },
      },
      { SMTP_PASSWORD: 'x' },
    );
    expect(found).toEqual([
      { path: 'channels.m.from', message: 'contains a line break or control character' },
      { path: 'channels.m.to[0]', message: expect.stringMatching(/is not one email address/) },
    ]);
  });
});

describe('notify lists, heartbeat and summary', () => {
  it('lets a site pick its channels, by default all', () => {
    const config = parseConfig(
      JSON.stringify({
        defaults: { notify: ['a'] },
        sites: [
          'https://one.example/',
          { url: 'https://two.example/', notify: ['b'] },
          { url: 'https://three.example/', notify: [] },
        ],
        channels: {
          a: { type: 'slack', url: 'https://x.example/1' },
          b: { type: 'slack', url: 'https://x.example/2' },
        },
        heartbeat: { url: 'https://hc-ping.com/abc' },
        summary: { schedule: '0 8 * * *', channels: ['b'] },
      }),
      'sites.json',
      {},
    );
    expect(config.sites.map((s) => s.notify)).toEqual([['a'], ['b'], []]);
    expect(config.heartbeat).toEqual({ url: 'https://hc-ping.com/abc', method: 'GET', timeoutMs: 10_000 });
    expect(config.summary).toEqual({ schedule: '0 8 * * *', channels: ['b'], timeZone: null });
    const plain = parseConfig('["https://one.example/"]', 'sites.json', {});
    expect(plain.sites[0]?.notify).toBeUndefined();
    expect(plain.heartbeat).toBeNull();
    expect(plain.summary).toBeNull();
  });

  it('reports an unknown channel name with its path, together with every other problem', () => {
    expect(
      problems(
        {
          defaults: { notify: ['nope'] },
          sites: [{ url: 'https://one.example/', notify: ['ops-mial'], timeoutMs: 'x' }],
          channels: { 'ops-mail': mail, team: { type: 'slack', url: 'https://x.example/1' } },
          heartbeat: { url: 'https://hc-ping.com/abc', timeout: 3 },
          summary: { schedule: '0 8 * *', channels: ['tema'], timeZone: 'Mars/Base' },
        },
        { SMTP_PASSWORD: 'x' },
      ),
    ).toEqual([
      { path: 'heartbeat.timeout', message: 'unknown key "timeout"; did you mean "timeoutMs"?' },
      { path: 'summary.schedule', message: expect.stringMatching(/expected 5 fields .* found 4/) },
      { path: 'summary.timeZone', message: expect.stringMatching(/IANA time zone/) },
      { path: 'defaults.notify[0]', message: 'unknown channel "nope"; the channels are ops-mail, team' },
      { path: 'summary.channels[0]', message: 'unknown channel "tema"; did you mean "team"?' },
      {
        path: 'sites[0].timeoutMs',
        message: expect.stringMatching(/expected a whole number of milliseconds/),
      },
      { path: 'sites[0].notify[0]', message: 'unknown channel "ops-mial"; did you mean "ops-mail"?' },
    ]);
  });

  it('says so when a notify list names a channel in a config without channels', () => {
    expect(problems({ sites: [{ url: 'https://one.example/', notify: ['ops'] }] })).toEqual([
      { path: 'sites[0].notify[0]', message: 'unknown channel "ops"; this config defines no "channels"' },
    ]);
  });
});

describe('URL parts', () => {
  it('splits SMTP URLs at the last @, with default ports', () => {
    expect(parseSmtpUrl('smtps://a%40b:p@ss@mail.example.com')).toEqual({
      secure: true,
      host: 'mail.example.com',
      port: 465,
      user: 'a@b',
      password: 'p@ss',
    });
    expect(parseSmtpUrl('smtp://127.0.0.1:2525/')).toMatchObject({ secure: false, port: 2525, user: null });
    expect(parseSmtpUrl('http://x')).toMatch(/expected an smtp:\/\/ URL/);
  });

  it('splits ntfy topic URLs', () => {
    expect(splitTopicUrl('https://ntfy.sh/alerts')).toEqual({ server: 'https://ntfy.sh/', topic: 'alerts' });
    expect(splitTopicUrl('https://ntfy.sh/alerts?x=1')).toBeNull();
  });
});

describe('examples/', () => {
  it('has a valid example config for every channel type', () => {
    const dir = new URL('../../examples/', import.meta.url);
    const env = {
      SMTP_PASSWORD: 'pw',
      WEBHOOK_TOKEN: 't',
      SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X',
      DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/x',
      NTFY_TOPIC: 'topic',
      HEALTHCHECKS_UUID: 'uuid',
      PAGERDUTY_ROUTING_KEY: 'R0123456789abcdef0123456789ABCDE',
      OPSGENIE_API_KEY: 'eb243592-faa2-4ba2-a551-1afdf565c889',
      ...PROVIDER_EXAMPLE_ENV,
    };
    const types = new Set<string>();
    for (const name of readdirSync(dir).filter((n) => /^notify-.*\.json$/.test(n))) {
      const config = parseConfig(readFileSync(new URL(name, dir), 'utf8'), name, env);
      for (const channel of Object.values(config.channels)) types.add(channel.type);
    }
    expect([...types].sort()).toEqual([...CHANNEL_TYPES].sort());
  });
});
