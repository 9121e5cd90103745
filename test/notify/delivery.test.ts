import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { WatchStore } from '../../src/store/store.js';
import { waitFor } from '../helpers/proc-table.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { jsonOf } from '../helpers/webhook-receiver.js';
import { configWith, FAST, idleWithin, TestStore } from './harness.js';
import { notificationTestbed } from './testbed.js';

const bed = notificationTestbed();
const { hook, start, settled } = bed;
const smtp = (opts: Parameters<typeof startSmtpServer>[0] = {}) => bed.closing(startSmtpServer(opts));

const email = (server: TestSmtpServer) => ({
  type: 'email',
  smtp: server.url(null),
  from: 'monitor@example.com',
  to: ['ops@example.com'],
});

describe('one message per channel per sweep', () => {
  it('sends nothing for a sweep without events', async () => {
    const r = await hook();
    const { notifications } = bed.store.notifications(configWith({ hook: { type: 'webhook', url: r.url } }));
    start(notifications);
    bed.store.sweep([], 3);
    notifications.afterSweep();
    await settled(notifications);
    expect(r.requests).toHaveLength(0);
    expect(notifications.counts()).toEqual([]);
  });

  it('sends one grouped message to each channel, and each only the sites that chose it', async () => {
    const mail = await smtp();
    const r = await hook();
    const config = configWith(
      { mail: email(mail), hook: { type: 'webhook', url: r.url } },
      { sites: 4, notify: { 1: ['mail'], 2: ['hook'], 4: [] } },
    );
    const { notifications } = bed.store.notifications(config);
    start(notifications);
    bed.store.sweep([], 4);
    bed.store.sweep([1, 2, 3, 4], 4);
    notifications.afterSweep();
    await mail.waitForMessages(1);
    await r.waitForRequests(1);
    await settled(notifications);
    expect(mail.messages).toHaveLength(1);
    expect(mail.messages[0]?.subject).toBe('[uptime-squirrel] 2 down');
    expect(mail.messages[0]?.text).toMatch(/Site 1 .*\r?\n- Site 3 /);
    expect(r.requests).toHaveLength(1);
    const names = jsonOf<{ entries: { site: { name: string } }[] }>(r.requests[0]).entries.map(
      (e) => e.site.name,
    );
    expect(names).toEqual(['Site 2', 'Site 3']);
  });

  it('sends 1,000 sites going down together as one message per channel', async () => {
    const mail = await smtp();
    const r = await hook();
    const config = configWith({ mail: email(mail), hook: { type: 'webhook', url: r.url } }, { sites: 1000 });
    const { notifications } = bed.store.notifications(config);
    start(notifications);
    bed.store.sweep([], 1000);
    bed.store.sweep(
      Array.from({ length: 1000 }, (_, i) => i + 1),
      1000,
    );
    notifications.afterSweep();
    await mail.waitForMessages(1);
    await r.waitForRequests(1);
    await settled(notifications);
    expect(mail.messages).toHaveLength(1);
    expect(mail.messages[0]?.subject).toBe('[uptime-squirrel] 1000 down');
    expect(mail.messages[0]?.text.match(/^- Site \d+ /gm)).toHaveLength(1000);
    expect(r.requests).toHaveLength(1);
    expect(jsonOf<{ events: unknown[] }>(r.requests[0]).events).toHaveLength(1000);
  });
});

describe('retries, permanent failures and expiry', () => {
  it('retries an SMTP 4xx and delivers exactly once', async () => {
    const mail = await smtp();
    mail.script({ code: 451, message: 'Greylisted' }, { code: 421, message: 'Busy' });
    const { notifications, logger } = bed.store.notifications(configWith({ mail: email(mail) }));
    start(notifications);
    bed.store.sweep([1], 3);
    notifications.afterSweep();
    await mail.waitForMessages(1);
    await settled(notifications);
    expect(mail.attempts).toBe(3);
    expect(mail.messages).toHaveLength(1);
    expect(notifications.counts()).toEqual([{ channel: 'mail', status: 'delivered', rows: 1 }]);
    expect(logger.text()).toMatch(
      /warn notify channel mail \(email\): sending "1 down: Site 1" failed \(US_ERR_NOTIFY_SMTP, transient\): .*451 Greylisted; retry 1 in/,
    );
    expect(logger.text()).toMatch(
      /info notify channel mail \(email\): delivered "1 down: Site 1" in \d+ ms: 250 /,
    );
  });

  it('does not retry an SMTP 5xx, and logs the server code', async () => {
    const mail = await smtp();
    mail.script({ code: 550, message: 'No such user here' });
    const { notifications, logger } = bed.store.notifications(configWith({ mail: email(mail) }));
    start(notifications);
    bed.store.sweep([1], 3);
    notifications.afterSweep();
    expect(await waitFor(() => logger.lines.some((l) => l.level === 'error'), 3000)).toBe(true);
    await settled(notifications);
    expect(mail.attempts).toBe(1);
    expect(mail.messages).toHaveLength(0);
    expect(notifications.counts()).toEqual([{ channel: 'mail', status: 'failed', rows: 1 }]);
    const line = logger.lines.find((l) => l.level === 'error');
    expect(line?.message).toMatch(
      /failed for good \(US_ERR_NOTIFY_SMTP, 550 No such user here\).*not retried/,
    );
    expect(line?.fields).toMatchObject({
      code: 'US_ERR_NOTIFY_SMTP',
      transient: false,
      answer: { smtpCode: 550 },
    });
  });

  it('delivers once when the SMTP server is down during the outage and comes back later', async () => {
    const first = await startSmtpServer();
    const port = first.port;
    await first.close();
    const config = configWith({
      mail: {
        type: 'email',
        smtp: `smtp://127.0.0.1:${port}`,
        from: 'monitor@example.com',
        to: ['ops@example.com'],
      },
    });
    const { notifications, logger } = bed.store.notifications(config);
    start(notifications);
    bed.store.sweep([1], 3);
    notifications.afterSweep();
    expect(
      await waitFor(
        () => logger.lines.filter((l) => /US_ERR_NOTIFY_NETWORK/.test(l.message)).length >= 2,
        3000,
      ),
    ).toBe(true);
    expect(notifications.counts()).toEqual([{ channel: 'mail', status: 'pending', rows: 1 }]);
    const back = await smtp({ port });
    await back.waitForMessages(1, 3000);
    await settled(notifications);
    expect(back.messages).toHaveLength(1);
    expect(back.messages[0]?.subject).toBe('[uptime-squirrel] 1 down: Site 1');
  });

  it('a webhook answering 500 then 200 gets the message once; one answering 404 once, not retried', async () => {
    const flaky = await hook();
    flaky.script(500, 503);
    const gone = await hook();
    gone.setDefault(404);
    const { notifications, logger } = bed.store.notifications(
      configWith({ flaky: { type: 'webhook', url: flaky.url }, gone: { type: 'webhook', url: gone.url } }),
    );
    start(notifications);
    bed.store.sweep([2], 3);
    notifications.afterSweep();
    await flaky.waitForRequests(3);
    await settled(notifications);
    expect(flaky.requests.map((r) => r.reply)).toEqual([500, 503, 200]);
    expect(flaky.delivered()).toHaveLength(1);
    expect(gone.requests).toHaveLength(1);
    expect(logger.text()).toMatch(
      /error notify channel gone \(webhook\): sending .* failed for good \(US_ERR_NOTIFY_HTTP, HTTP 404 error 404\)/,
    );
  });

  it('a hanging channel delays neither the other channels nor the next sweep', async () => {
    const stuck = await hook();
    stuck.setDefault('hang');
    const mail = await smtp();
    const { notifications } = bed.store.notifications(
      configWith({ stuck: { type: 'webhook', url: stuck.url }, mail: email(mail) }),
      { delivery: { ...FAST, sendTimeoutMs: 5000 } },
    );
    start(notifications);
    bed.store.sweep([1], 3);
    notifications.afterSweep();
    await mail.waitForMessages(1, 2000);
    await stuck.waitForRequests(1);
    // The webhook still hangs; the next sweep's events reach the mail channel all the same.
    bed.store.sweep([1, 2], 3);
    notifications.afterSweep();
    await mail.waitForMessages(2, 2000);
    expect(mail.messages[1]?.subject).toBe('[uptime-squirrel] 1 down: Site 2');
    expect(stuck.delivered()).toHaveLength(0);
  });

  it('retries a hanging webhook after its send timeout', async () => {
    const slow = await hook();
    slow.script('hang');
    const { notifications, logger } = bed.store.notifications(
      configWith({ slow: { type: 'webhook', url: slow.url } }),
      {
        delivery: { ...FAST, sendTimeoutMs: 200 },
      },
    );
    start(notifications);
    bed.store.sweep([1], 3);
    notifications.afterSweep();
    await slow.waitForRequests(2, 3000);
    await settled(notifications);
    expect(slow.delivered()).toHaveLength(1);
    expect(logger.text()).toMatch(
      /US_ERR_NOTIFY_TIMEOUT, transient\): the webhook did not answer within 200 ms/,
    );
    // The receiver may have acted on the request it never answered: the retry says so.
    expect(jsonOf<{ note: string }>(slow.delivered()[0]).note).toMatch(
      /may have received part of it already/,
    );
  });

  it('sends "was down from t1 to t2" once when the down could not be delivered before the recovery', async () => {
    const r = await hook();
    r.setDefault(503);
    const { notifications } = bed.store.notifications(configWith({ hook: { type: 'webhook', url: r.url } }));
    start(notifications);
    bed.store.sweep([], 3);
    bed.store.sweep([3], 3);
    notifications.afterSweep();
    await r.waitForRequests(1);
    bed.store.sweep([], 3);
    notifications.afterSweep();
    r.setDefault(200);
    expect(await waitFor(() => r.delivered().length > 0, 3000)).toBe(true);
    await settled(notifications);
    expect(r.delivered()).toHaveLength(1);
    const body = r.delivered()[0]?.json as {
      title: string;
      entries: { kind: string }[];
      text: string;
      sweeps: unknown[];
    };
    expect(body.title).toBe('1 recovered: Site 3');
    expect(body.entries.map((e) => e.kind)).toEqual(['recovered']);
    expect(body.text).toMatch(
      /Site 3 .*was down from 2024-05-01 10:02:00 UTC to 2024-05-01 10:03:00 UTC \(1m\)/,
    );
    expect(body.sweeps).toHaveLength(2);
    expect(notifications.counts()).toEqual([{ channel: 'hook', status: 'delivered', rows: 2 }]);
  });

  it('drops and logs a message that could not be delivered before it expired', async () => {
    const r = await hook();
    r.setDefault(500);
    const { notifications, logger } = bed.store.notifications(
      configWith({ hook: { type: 'webhook', url: r.url } }),
      {
        delivery: { ...FAST, expireAfterMs: 400 },
        // The sweeps are dated 2024; the clock starts at the sweep so that expiry comes after a few retries.
        clock: (
          (start) => () =>
            Date.parse('2024-05-01T10:01:00Z') + (Date.now() - start)
        )(Date.now()),
      },
    );
    start(notifications);
    bed.store.sweep([1], 3);
    notifications.afterSweep();
    expect(await waitFor(() => logger.lines.some((l) => /dropped/.test(l.message)), 3000)).toBe(true);
    const count = r.requests.length;
    await settled(notifications);
    expect(r.requests.length).toBe(count);
    expect(count).toBeGreaterThanOrEqual(2);
    expect(notifications.counts()).toEqual([{ channel: 'hook', status: 'dropped', rows: 1 }]);
    expect(logger.text()).toMatch(
      /error notify channel hook \(webhook\): dropped 1 message not delivered within 400 ms \(oldest queued 2024-05-01 10:01:00 UTC: sweep:1\)/,
    );
  });
});

describe('idle: what the tests above wait for', () => {
  it('is not reached while a retry is due, and is once the message is delivered', async () => {
    const r = await hook();
    r.setDefault(503);
    const { notifications } = bed.store.notifications(configWith({ hook: { type: 'webhook', url: r.url } }));
    start(notifications);
    bed.store.sweep([1], 3);
    notifications.afterSweep();
    await r.waitForRequests(2);
    // Retries come at most 200 ms apart (FAST): a loop that called this idle would be wrong.
    expect(await idleWithin(notifications, 400)).toBe(false);
    r.setDefault(200);
    await settled(notifications);
    expect(r.delivered()).toHaveLength(1);
    expect(notifications.counts()).toEqual([{ channel: 'hook', status: 'delivered', rows: 1 }]);
  });
});

describe('restarts', () => {
  it('enqueues events committed by a process that died before its outbox rows were written', async () => {
    const r = await hook();
    const config = configWith({ hook: { type: 'webhook', url: r.url } });
    bed.store.sweep([1], 3);
    // No afterSweep: the process "died" right after the sweep's commit.
    const { notifications } = bed.store.notifications(config);
    start(notifications);
    await r.waitForRequests(1);
    await settled(notifications);
    expect(r.requests).toHaveLength(1);
    expect(jsonOf<{ title: string }>(r.requests[0]).title).toBe('1 down: Site 1');
  });

  it('sends pending rows after a restart exactly once, saying a row caught mid-send may repeat', async () => {
    const r = await hook();
    r.setDefault('hang');
    const config = configWith({ hook: { type: 'webhook', url: r.url } });
    const first = bed.store.notifications(config, {
      delivery: { ...FAST, sendTimeoutMs: 5000 },
    }).notifications;
    first.start();
    bed.store.sweep([1], 3);
    first.afterSweep();
    await r.waitForRequests(1);
    // Stopped mid-send (as SIGKILL would, minus the process): the row stays pending, marked as being sent.
    await first.stop();
    expect(first.counts()).toEqual([{ channel: 'hook', status: 'pending', rows: 1 }]);
    r.setDefault(200);
    const second = start(bed.store.notifications(config).notifications);
    expect(await waitFor(() => r.delivered().length > 0, 3000)).toBe(true);
    await settled(second);
    expect(r.delivered()).toHaveLength(1);
    expect(jsonOf<{ note: string }>(r.delivered()[0]).note).toMatch(
      /you may have received part of it already/,
    );
    expect(second.counts()).toEqual([{ channel: 'hook', status: 'delivered', rows: 1 }]);
  });

  it('watch --once: drain makes one attempt per channel and leaves failures pending', async () => {
    const ok = await hook();
    const failing = await hook();
    failing.setDefault(500);
    const { notifications } = bed.store.notifications(
      configWith({ ok: { type: 'webhook', url: ok.url }, failing: { type: 'webhook', url: failing.url } }),
    );
    bed.start(notifications, { loops: false });
    bed.store.sweep([1], 3);
    notifications.afterSweep();
    await notifications.drain();
    expect(ok.requests).toHaveLength(1);
    expect(failing.requests).toHaveLength(1);
    expect(notifications.counts()).toEqual([
      { channel: 'failing', status: 'pending', rows: 1 },
      { channel: 'ok', status: 'delivered', rows: 1 },
    ]);
  });
});

describe('upgrades and reloads', () => {
  it('does not send the events of a database written before notifications existed', async () => {
    const file = join(bed.dir, 'v1.db');
    const v1 = WatchStore.open(file, { migrations: MIGRATIONS.filter((m) => m.version === 1) });
    const old = new TestStore(file, v1);
    old.sweep([1, 2], 3);
    v1.close();
    bed.useStore(new TestStore(file));
    const r = await hook();
    const { notifications } = bed.store.notifications(configWith({ hook: { type: 'webhook', url: r.url } }));
    start(notifications);
    // Sites 1 and 2 stay down (no new event); site 3 goes down now.
    bed.store.sweep([1, 2, 3], 3);
    notifications.afterSweep();
    await r.waitForRequests(1);
    await settled(notifications);
    expect(r.requests.map((req) => jsonOf<{ title: string }>(req).title)).toEqual(['1 down: Site 3']);
  });

  it('takes a reloaded config: a new channel gets the next events, a removed one keeps its rows', async () => {
    const a = await hook();
    const b = await hook();
    b.setDefault(500);
    const { notifications, logger } = bed.store.notifications(
      configWith({ b: { type: 'webhook', url: b.url } }),
    );
    start(notifications);
    bed.store.sweep([1], 3);
    notifications.afterSweep();
    await b.waitForRequests(1);
    await notifications.reconfigure(configWith({ a: { type: 'webhook', url: a.url } }));
    expect(logger.text()).toMatch(/messages are pending for channel b, which is no longer in the config/);
    bed.store.sweep([1, 2], 3);
    notifications.afterSweep();
    await a.waitForRequests(1);
    await settled(notifications);
    expect(a.requests.map((req) => jsonOf<{ title: string }>(req).title)).toEqual(['1 down: Site 2']);
    // b has no loop any more: the next sweep's events go to a only, and b hears nothing more.
    const requestsToB = b.requests.length;
    bed.store.sweep([1, 2, 3], 3);
    notifications.afterSweep();
    await a.waitForRequests(2);
    await settled(notifications);
    expect(jsonOf<{ title: string }>(a.requests[1]).title).toBe('1 down: Site 3');
    expect(b.requests.length).toBe(requestsToB);
  });
});

describe('heartbeat and summary', () => {
  it('requests the heartbeat after every sweep and logs failures without the URL path', async () => {
    const beat = await hook();
    beat.script(200, 500);
    const { notifications, logger } = bed.store.notifications(
      configWith({}, { extra: { heartbeat: { url: `${beat.url}/secret-uuid`, timeoutMs: 500 } } }),
    );
    start(notifications);
    bed.store.sweep([], 3);
    notifications.afterSweep();
    await beat.waitForRequests(1);
    // A ping while the previous one is still in flight is skipped: let the first one finish.
    await settled(notifications);
    bed.store.sweep([], 3);
    notifications.afterSweep();
    await beat.waitForRequests(2);
    expect(await waitFor(() => logger.lines.some((l) => /heartbeat/.test(l.message)), 2000)).toBe(true);
    expect(beat.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(logger.text()).toMatch(/warn heartbeat to http:\/\/127\.0\.0\.1:\d+ failed: answered HTTP 500/);
    expect(logger.text()).not.toContain('secret-uuid');
  });

  it('queues the uptime summary for its channels on schedule', async () => {
    const r = await hook();
    const other = await hook();
    const config = configWith(
      { daily: { type: 'webhook', url: r.url }, other: { type: 'webhook', url: other.url } },
      { extra: { summary: { schedule: '* * * * * *', channels: ['daily'] } } },
    );
    const report = (since: number, until: number) => ({
      since: new Date(since).toISOString(),
      until: new Date(until).toISOString(),
      sites: [
        {
          url: 'https://site-1.example.com/health',
          name: 'Site 1',
          state: 'up' as const,
          stateSince: null,
          uptimePct: 99.5,
          checks: 200,
          offlineChecks: 0,
          maintenanceChecks: 0,
          p50Ms: 10,
          p95Ms: 20,
          incidents: [],
        },
      ],
      offline: [],
      silences: [],
    });
    const { notifications } = bed.store.notifications(config, { report });
    start(notifications);
    await r.waitForRequests(1, 3000);
    const body = r.requests[0]?.json as { kind: string; title: string; report: { sites: unknown[] } };
    expect(body.kind).toBe('summary');
    expect(body.title).toBe('daily summary: 1 site, 99.500% up, 0 incidents');
    expect(body.report.sites).toHaveLength(1);
    expect(other.requests).toHaveLength(0);
  });
});
