// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests, not a mistaken template.

import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { eventsMessage, testMessage } from '../../src/notify/compose.js';
import { createChannel } from '../../src/notify/index.js';
import type { Message } from '../../src/notify/message.js';
import type { ChannelDeps } from '../../src/notify/types.js';
import { createRedactor } from '../../src/util/redact.js';
import { refusedUrl } from '../helpers/ports.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { caCert } from '../helpers/tls.js';
import { down, rejection, site, T0, up } from './fixtures.js';

const servers: TestSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function smtp(opts: Parameters<typeof startSmtpServer>[0] = {}) {
  const server = await startSmtpServer(opts);
  servers.push(server);
  return server;
}

/** An email channel from config text, as the daemon builds it. */
function emailChannel(
  settings: Record<string, unknown>,
  env: Record<string, string> = {},
  deps: ChannelDeps = {},
) {
  const config = parseConfig(
    JSON.stringify({
      sites: ['https://example.com/'],
      channels: {
        'ops-mail': { type: 'email', from: 'monitor@example.com', to: ['ops@example.com'], ...settings },
      },
    }),
    'sites.json',
    env,
  );
  const channelConfig = config.channels['ops-mail'];
  if (channelConfig === undefined) throw new Error('no channel');
  const channel = createChannel('ops-mail', channelConfig, deps);
  const redact = createRedactor([...config.secrets, ...channel.secrets]);
  return {
    channel,
    send: (message: Message, timeoutMs = 3000) => channel.send(message, { timeoutMs, redact }),
  };
}

const outage = eventsMessage([down(1), down(2), down(3), up(4, T0 - 120_000, T0)], [], {
  id: 'events-ops-mail-1-1',
});

describe('email over a real SMTP server', () => {
  it('delivers one message: subject at a glance, every site by name and URL, text and HTML', async () => {
    const server = await smtp({ auth: { user: 'monitor', pass: 'pw' } });
    const { send } = emailChannel(
      {
        smtp: `smtp://monitor:\${SMTP_PASSWORD}@127.0.0.1:${server.port}`,
        to: ['ops@example.com', 'Oncall <oncall@example.com>'],
      },
      { SMTP_PASSWORD: 'pw' },
    );
    const delivery = await send(outage);
    expect(delivery.answer).toMatch(/^250 /);
    expect(server.messages).toHaveLength(1);
    const mail = server.messages[0];
    expect(mail?.user).toBe('monitor');
    expect(mail?.mailFrom).toBe('monitor@example.com');
    expect(mail?.rcptTo).toEqual(['ops@example.com', 'oncall@example.com']);
    expect(mail?.subject).toBe('[uptime-squirrel] 3 down, 1 recovered');
    expect(mail?.headers.get('message-id')).toEqual(['<events-ops-mail-1-1@uptime-squirrel.invalid>']);
    for (const n of [1, 2, 3, 4]) {
      expect(mail?.text).toContain(`Site ${n} (https://site-${n}.example.com/health)`);
      expect(mail?.html).toContain(
        `<strong>Site ${n}</strong> <code>https://site-${n}.example.com/health</code>`,
      );
    }
    expect(mail?.text).toContain('was down from 2024-05-01 09:58:00 UTC to 2024-05-01 10:00:00 UTC (2m)');
  });

  it('adds no header and no recipient from what a server sent', async () => {
    const server = await smtp();
    const { send } = emailChannel({ smtp: server.url(null) });
    const hostile = eventsMessage(
      [
        down(1, T0, {
          site: { ...site(1), name: 'Shop\r\nBcc: thief@example.com' },
          cause: {
            kind: 'redirect-blocked',
            status: 302,
            message: 'to http://x/\r\nTo: thief@example.com\r\n\r\n<b>hi</b>',
          },
        }),
      ],
      [],
      { id: 'x' },
    );
    await send(hostile);
    const mail = server.messages[0];
    expect(mail?.rcptTo).toEqual(['ops@example.com']);
    expect(mail?.headers.has('bcc')).toBe(false);
    expect(mail?.headers.get('to')).toEqual(['ops@example.com']);
    expect(mail?.subject).toBe('[uptime-squirrel] 1 down: Shop Bcc: thief@example.com');
    expect(mail?.html).toContain('&lt;b&gt;hi&lt;/b&gt;');
    expect(mail?.html).not.toContain('<b>hi</b>');
  });

  it('uses STARTTLS when the server offers it, and implicit TLS for smtps://', async () => {
    const deps = { ca: caCert() };
    const starttls = await smtp({ tls: { mode: 'starttls', cert: 'server' } });
    await emailChannel({ smtp: starttls.url(null) }, {}, deps).send(
      testMessage({ channel: 'ops-mail', type: 'email', host: 'h', sites: 1 }),
    );
    expect(starttls.messages[0]?.secure).toBe(true);
    const implicit = await smtp({ tls: { mode: 'implicit', cert: 'server' } });
    expect(implicit.url(null)).toMatch(/^smtps:/);
    await emailChannel({ smtp: implicit.url(null) }, {}, deps).send(
      testMessage({ channel: 'ops-mail', type: 'email', host: 'h', sites: 1 }),
    );
    expect(implicit.messages[0]?.secure).toBe(true);
  });

  it('takes the password from "password", with no percent-encoding', async () => {
    const server = await smtp({ auth: { user: 'monitor', pass: 'p@ss/w#rd?' } });
    const { send } = emailChannel(
      { smtp: `smtp://monitor@127.0.0.1:${server.port}`, password: '${SMTP_PASSWORD}' },
      { SMTP_PASSWORD: 'p@ss/w#rd?' },
    );
    await send(outage);
    expect(server.messages).toHaveLength(1);
  });

  it('reports a refused login as a permanent auth failure with the reply, and no password', async () => {
    const server = await smtp({ auth: { user: 'monitor', pass: 'right' } });
    const { send } = emailChannel(
      { smtp: `smtp://monitor:\${SMTP_PASSWORD}@127.0.0.1:${server.port}` },
      { SMTP_PASSWORD: 'wrong-password' },
    );
    const error = await rejection(send(outage));
    expect(error.code).toBe('US_ERR_NOTIFY_AUTH');
    expect(error.transient).toBe(false);
    expect(error.answer?.smtpCode).toBe(535);
    expect(error.message).toMatch(/refused the login: 535/);
    expect(JSON.stringify({ message: error.message, answer: error.answer })).not.toContain('wrong-password');
    expect(server.messages).toHaveLength(0);
  });

  it('classifies 4xx replies as transient and 5xx as permanent, with the server code', async () => {
    const server = await smtp();
    const { send } = emailChannel({ smtp: server.url(null) });
    server.script(
      { code: 451, message: 'Greylisted, try again later' },
      { code: 550, message: 'Mailbox unavailable' },
    );
    const soft = await rejection(send(outage));
    expect(soft).toMatchObject({ code: 'US_ERR_NOTIFY_SMTP', transient: true, answer: { smtpCode: 451 } });
    expect(soft.message).toContain('451 Greylisted, try again later');
    const hard = await rejection(send(outage));
    expect(hard).toMatchObject({ code: 'US_ERR_NOTIFY_SMTP', transient: false, answer: { smtpCode: 550 } });
    await send(outage);
    expect(server.attempts).toBe(3);
    expect(server.messages).toHaveLength(1);
  });

  it('reports a server that is not there as a transient network failure', async () => {
    const port = new URL(await refusedUrl()).port;
    const { send } = emailChannel({ smtp: `smtp://127.0.0.1:${port}` });
    const error = await rejection(send(outage));
    expect(error).toMatchObject({ code: 'US_ERR_NOTIFY_NETWORK', transient: true });
  });
});
