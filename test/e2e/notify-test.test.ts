// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests, not a mistaken template.

import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup.js';
import { runBin } from '../helpers/processes.js';
import { startSmtpServer } from '../helpers/smtp-server.js';
import { jsonOf, startWebhookReceiver } from '../helpers/webhook-receiver.js';

// These tests run the built program (dist/): build it first with `npx tsc -p tsconfig.build.json`.

const { defer, config } = useCleanup();

async function smtp(opts: Parameters<typeof startSmtpServer>[0] = {}) {
  const server = await startSmtpServer(opts);
  defer(server.close);
  return server;
}

async function hook() {
  const r = await startWebhookReceiver();
  defer(r.close);
  return r;
}

function notifyTest(args: string[], env: Record<string, string> = {}) {
  return runBin(['notify-test', ...args], { env, timeoutMs: 10_000 });
}

describe('uptime-squirrel notify-test (built bin)', () => {
  it('sends a test message through every channel and exits 0 when all delivered', async () => {
    const mail = await smtp({ auth: { user: 'monitor', pass: 's3cret-pw' } });
    const r = await hook();
    const file = await config({
      sites: ['https://example.com/'],
      channels: {
        'ops-mail': {
          type: 'email',
          smtp: `smtp://monitor:\${SMTP_PASSWORD}@127.0.0.1:${mail.port}`,
          from: 'monitor@example.com',
          to: 'ops@example.com',
        },
        hook: { type: 'webhook', url: r.url },
      },
    });
    const run = await notifyTest([file], { SMTP_PASSWORD: 's3cret-pw' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ops-mail \(email\): delivered in \d+ ms: 250 /m);
    expect(run.stdout).toMatch(/^hook \(webhook\): delivered in \d+ ms: HTTP 200 ok$/m);
    expect(run.stdout).toMatch(/all 2 channels delivered\n$/);
    expect(mail.messages[0]?.subject).toBe('[uptime-squirrel] test message for channel ops-mail');
    expect(jsonOf<{ kind: string }>(r.requests[0]).kind).toBe('test');
  });

  it('exits 1 and gives each failing server answer, without secrets', async () => {
    const mail = await smtp({ auth: { user: 'monitor', pass: 'right' } });
    const r = await hook();
    r.setDefault({ status: 404, body: 'no_service' });
    const ok = await hook();
    const file = await config({
      sites: ['https://example.com/'],
      channels: {
        mail: {
          type: 'email',
          smtp: `smtp://monitor:\${SMTP_PASSWORD}@127.0.0.1:${mail.port}`,
          from: 'monitor@example.com',
          to: 'ops@example.com',
        },
        team: { type: 'slack', url: '${SLACK_URL}' },
        fine: { type: 'discord', url: ok.url },
      },
    });
    const run = await notifyTest([file], { SMTP_PASSWORD: 'wrong-pw', SLACK_URL: `${r.url}/T000/B000/XXXX` });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^mail \(email\): FAILED in \d+ ms: the SMTP server refused the login: 535 .* \[US_ERR_NOTIFY_AUTH, permanent: check the settings\]$/m,
    );
    expect(run.stdout).toMatch(
      /^team \(slack\): FAILED in \d+ ms: the Slack webhook answered HTTP 404: no_service \[US_ERR_NOTIFY_HTTP, permanent/m,
    );
    expect(run.stdout).toMatch(/^fine \(discord\): delivered/m);
    expect(run.stdout).toMatch(/2 of 3 channels failed\n$/);
    expect(run.stdout + run.stderr).not.toContain('wrong-pw');
    expect(run.stdout + run.stderr).not.toContain('XXXX');
  });

  it('tests only the channels named with --channel, with a bounded timeout', async () => {
    const slow = await hook();
    slow.setDefault('hang');
    const other = await hook();
    const file = await config({
      sites: ['https://example.com/'],
      channels: { slow: { type: 'webhook', url: slow.url }, other: { type: 'webhook', url: other.url } },
    });
    const run = await notifyTest([file, '--channel', 'slow', '--timeout', '300ms']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^slow \(webhook\): FAILED in \d+ ms: the webhook did not answer within 300 ms \[US_ERR_NOTIFY_TIMEOUT, transient/m,
    );
    expect(other.requests).toHaveLength(0);
  });

  it('exits 2 on a config error, an unknown --channel, or a config without channels', async () => {
    const bad = await config({ sites: ['https://example.com/'], channels: { x: { type: 'emial' } } });
    const invalid = await notifyTest([bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('channels.x.type: unknown channel type "emial"; did you mean "email"?');

    const good = await config({
      sites: ['https://example.com/'],
      channels: { 'ops-mail': { type: 'slack', url: 'https://x.example/' } },
    });
    const unknown = await notifyTest([good, '--channel', 'ops-mial']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--channel ops-mial: no such channel');
    expect(unknown.stderr).toContain('did you mean "ops-mail"?');

    const none = await config({ sites: ['https://example.com/'] });
    const empty = await notifyTest([none]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('defines no "channels"');
  });
});
