/**
 * The incident tools (PagerDuty, Opsgenie) against local stand-ins that keep the tool's state: one event
 * per site under the site's own key, opened when it goes down and closed when it is back, 40 sites at
 * once, rate limits retried, refusals logged and not retried, secrets never shown.
 */

import { describe, expect, it } from 'vitest';
import { createChannel } from '../../src/notify/index.js';
import type { Notifications } from '../../src/notify/service.js';
import { configProblems } from '../config/problems.js';
import { configWith } from './harness.js';
import { OPSGENIE_KEY, PAGERDUTY_KEY, startOpsgenie, startPagerDuty } from './incident-receivers.js';
import { notificationTestbed } from './testbed.js';

const bed = notificationTestbed();
const { hook, start } = bed;
const settled = (n: Notifications) => bed.settled(n, 10_000);
const pagerduty = () => bed.closing(startPagerDuty());
const opsgenie = () => bed.closing(startOpsgenie());

/** The problems a config with these channels is refused with. */
function problemsOf(channels: Record<string, unknown>) {
  return configProblems(JSON.stringify({ sites: ['https://example.com/'], channels }));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** A PagerDuty channel at `url` and two sites that both go down in one sweep, sent (or given up on). */
async function bothDown(url: string) {
  const config = configWith(
    { pd: { type: 'pagerduty', routingKey: PAGERDUTY_KEY, baseUrl: url } },
    { sites: 2 },
  );
  const sent = bed.store.notifications(config);
  start(sent.notifications);
  bed.store.sweep([1, 2], 2);
  sent.notifications.afterSweep();
  await settled(sent.notifications);
  return sent;
}

describe('PagerDuty', () => {
  it('gets one trigger per site with its own dedup key for 40 sites down, and a resolve for each on recovery', async () => {
    const pd = await pagerduty();
    const chat = await hook();
    const config = configWith(
      {
        pd: { type: 'pagerduty', routingKey: PAGERDUTY_KEY, baseUrl: pd.url },
        chat: { type: 'slack', url: chat.url },
      },
      { sites: 40 },
    );
    const { notifications, logger } = bed.store.notifications(config);
    start(notifications);
    bed.store.sweep(range(40), 40);
    notifications.afterSweep();
    await settled(notifications);

    const triggers = pd.events().filter((e) => e.event_action === 'trigger');
    expect(triggers).toHaveLength(40);
    expect(new Set(triggers.map((e) => e.dedup_key)).size).toBe(40);
    expect(pd.open()).toHaveLength(40);
    const first = triggers[0] as { payload: Record<string, unknown> };
    expect(first.payload).toMatchObject({
      severity: 'critical',
      source: expect.stringMatching(/^https:\/\/site-\d+\.example\.com\/health$/),
    });
    expect(first.payload.summary).toMatch(/^1 down: Site \d+$/);
    // The chat channel still gets one grouped message for the sweep.
    expect(chat.delivered()).toHaveLength(1);
    expect(chat.delivered()[0]?.body).toContain('40 down');

    bed.store.sweep([], 40);
    notifications.afterSweep();
    await settled(notifications);
    const resolves = pd.events().filter((e) => e.event_action === 'resolve');
    expect(resolves).toHaveLength(40);
    expect(new Set(resolves.map((e) => e.dedup_key))).toEqual(new Set(triggers.map((e) => e.dedup_key)));
    expect(pd.open()).toEqual([]);
    expect(pd.requests.every((r) => r.answer.status === 202)).toBe(true);
    expect(logger.text()).not.toContain(PAGERDUTY_KEY);
    expect(JSON.stringify(bed.store.store.db.prepare('SELECT * FROM outbox').all())).not.toContain(
      PAGERDUTY_KEY,
    );
  });

  it('retries 429s (a Retry-After honoured up to --retry-max) and sends each site once', async () => {
    const pd = await pagerduty();
    pd.fail('rate-limit-after', 'rate-limit');
    const { notifications, logger } = await bothDown(pd.url);
    expect(pd.requests.map((r) => r.answer.status)).toEqual([429, 429, 202, 202]);
    expect(pd.open().map((a) => a.triggers)).toEqual([1, 1]);
    expect(
      logger.lines.filter((l) => l.fields?.msg === 'notification failed').map((l) => l.fields?.transient),
    ).toEqual([true, true]);
    expect(notifications.counts()).toEqual([{ channel: 'pd', status: 'delivered', rows: 2 }]);
  });

  it('logs a 400 with its answer and does not retry it', async () => {
    const pd = await pagerduty();
    pd.fail('invalid');
    const { notifications, logger } = await bothDown(pd.url);
    expect(pd.requests.map((r) => r.answer.status)).toEqual([400, 202]);
    expect(logger.text()).toMatch(/failed for good \(US_ERR_NOTIFY_HTTP, HTTP 400 .*invalid event/);
    expect(notifications.counts()).toEqual([
      { channel: 'pd', status: 'delivered', rows: 1 },
      { channel: 'pd', status: 'failed', rows: 1 },
    ]);
  });

  it('sends a test as an info alert that it resolves at once', async () => {
    const pd = await pagerduty();
    const config = configWith({ pd: { type: 'pagerduty', routingKey: PAGERDUTY_KEY, baseUrl: pd.url } });
    const settings = config.channels.pd;
    if (settings === undefined) throw new Error('no channel');
    const { testMessage } = await import('../../src/notify/compose.js');
    const message = testMessage({ channel: 'pd', type: 'pagerduty', host: 'h', sites: 3 });
    await createChannel('pd', settings).send(message, { timeoutMs: 2000, redact: (t) => t });
    expect(pd.events().map((e) => [e.event_action, e.dedup_key])).toEqual([
      ['trigger', 'uptime-squirrel-test-pd'],
      ['resolve', 'uptime-squirrel-test-pd'],
    ]);
    expect(pd.open()).toEqual([]);
  });

  it('refuses settings with the path, never quoting the key', () => {
    expect(problemsOf({ pd: { type: 'pagerduty', routingKey: 'short-secret-value' } })).toEqual([
      {
        path: 'channels.pd.routingKey',
        message: expect.stringContaining('32 letters and digits'),
      },
    ]);
    expect(
      JSON.stringify(problemsOf({ pd: { type: 'pagerduty', routingKey: 'short-secret-value' } })),
    ).not.toContain('short-secret-value');
    expect(problemsOf({ pd: { type: 'pagerduty', routingKey: PAGERDUTY_KEY, severity: 'fatal' } })).toEqual([
      { path: 'channels.pd.severity', message: 'expected "critical", "error", "warning" or "info"' },
    ]);
  });
});

describe('the daily summary', () => {
  it('goes to the grouped channels only: a summary is no incident', async () => {
    const pd = await pagerduty();
    const chat = await hook();
    const config = configWith(
      {
        pd: { type: 'pagerduty', routingKey: PAGERDUTY_KEY, baseUrl: pd.url },
        chat: { type: 'webhook', url: chat.url },
      },
      { extra: { summary: { schedule: '0 8 * * *', channels: ['pd', 'chat'] } } },
    );
    const report = (since: number, until: number) => ({
      since: new Date(since).toISOString(),
      until: new Date(until).toISOString(),
      sites: [],
      offline: [],
      silences: [],
    });
    const { notifications, logger } = bed.store.notifications(config, { report });
    start(notifications);
    notifications.queueSummary();
    expect(logger.text()).toContain(
      'warn notify: the uptime summary is not sent to pd: incident tools take one event per site',
    );
    await settled(notifications);
    expect(chat.delivered().map((r) => (r.json as { kind: string }).kind)).toEqual(['summary']);
    expect(pd.requests).toHaveLength(0);
    expect(notifications.counts()).toEqual([{ channel: 'chat', status: 'delivered', rows: 1 }]);
  });
});

describe('Opsgenie', () => {
  it('creates an alert per site by alias and closes it by that alias on recovery', async () => {
    const og = await opsgenie();
    const config = configWith(
      { og: { type: 'opsgenie', apiKey: OPSGENIE_KEY, baseUrl: og.url, priority: 'P1', tags: ['web'] } },
      { sites: 3 },
    );
    const { notifications, logger } = bed.store.notifications(config);
    start(notifications);
    bed.store.sweep([1, 3], 3);
    notifications.afterSweep();
    await settled(notifications);
    expect(og.creates()).toHaveLength(2);
    expect(og.creates()[0]?.json).toMatchObject({
      message: '1 down: Site 1',
      priority: 'P1',
      tags: ['uptime-squirrel', 'web'],
      source: 'uptime-squirrel',
      entity: 'Site 1',
    });
    expect(og.open()).toHaveLength(2);

    bed.store.sweep([], 3);
    notifications.afterSweep();
    await settled(notifications);
    expect(og.closes().map((r) => r.query.get('identifierType'))).toEqual(['alias', 'alias']);
    expect(og.open()).toEqual([]);
    expect(og.requests.every((r) => r.answer.status === 202)).toBe(true);
    expect(logger.text()).not.toContain(OPSGENIE_KEY);
  });

  it('retries a 429 and refuses a wrong key for good', async () => {
    const og = await opsgenie();
    og.fail('rate-limit');
    const config = configWith(
      {
        og: { type: 'opsgenie', apiKey: OPSGENIE_KEY, baseUrl: og.url },
        wrong: { type: 'opsgenie', apiKey: 'not-the-key', baseUrl: og.url },
      },
      { sites: 1 },
    );
    const { notifications, logger } = bed.store.notifications(config);
    start(notifications);
    bed.store.sweep([1], 1);
    notifications.afterSweep();
    await settled(notifications);
    expect(og.creates()).toHaveLength(1);
    expect(notifications.counts()).toEqual([
      { channel: 'og', status: 'delivered', rows: 1 },
      { channel: 'wrong', status: 'failed', rows: 1 },
    ]);
    expect(logger.text()).toMatch(
      /channel wrong \(opsgenie\): sending .* failed for good \(US_ERR_NOTIFY_HTTP, HTTP 401/,
    );
  });
});
