// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests, not a mistaken template.

/**
 * The daemon binary (build first: npm run build) with the incident tools, routing, quiet hours and
 * templates: 40 sites down give PagerDuty one trigger per site, a SIGKILL between the triggers and the
 * recovery loses nothing and repeats nothing, the resolves close every alert; a channel that takes only
 * `down` hears nothing of the recovery; quiet hours that end during the test deliver what they held as
 * one message, across a SIGKILL; a template error stops the config at load with its path.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBin, tempDir, writeJson } from '../helpers/processes.js';
import { startWebhookReceiver, type TestWebhookReceiver } from '../helpers/webhook-receiver.js';
import { OPSGENIE_KEY, PAGERDUTY_KEY, startOpsgenie, startPagerDuty } from '../notify/incident-receivers.js';
import { killAll, spawnWatch, waitForCount } from '../watch/helpers/daemon-process.js';
import { type SwitchServer, startSwitchServer } from '../watch/helpers/switch-server.js';

let dir: { path: string; cleanup: () => Promise<void> };
let site: SwitchServer;
const closers: (() => Promise<void>)[] = [];

const FAST = ['--retry-first', '100ms', '--retry-max', '200ms', '--send-timeout', '2s'];

beforeEach(async () => {
  dir = await tempDir();
  site = await startSwitchServer(200);
});

afterEach(async () => {
  await killAll();
  await Promise.all(closers.splice(0).map((close) => close()));
  await site.close();
  await dir.cleanup();
});

async function hook(): Promise<TestWebhookReceiver> {
  const r = await startWebhookReceiver();
  closers.push(() => r.close());
  return r;
}

function watch(config: string, db: string) {
  return spawnWatch([config, '--db', db, '--schedule', '* * * * * *', '--log-format', 'json', ...FAST]);
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function outboxRows(
  db: string,
): { channel: string; ref: string; status: string; not_before: number | null }[] {
  if (!existsSync(db)) return [];
  const conn = new Database(db, { readonly: true });
  try {
    // The daemon may still be migrating: read nothing until the outbox has its latest column.
    const ready = conn.prepare("SELECT 1 FROM pragma_table_info('outbox') WHERE name = 'not_before'").get();
    if (ready === undefined) return [];
    return conn.prepare('SELECT channel, ref, status, not_before FROM outbox ORDER BY id').all() as {
      channel: string;
      ref: string;
      status: string;
      not_before: number | null;
    }[];
  } finally {
    conn.close();
  }
}

const titles = (r: TestWebhookReceiver) => r.delivered().map((q) => (q.json as { title: string }).title);

describe('incident tools and routing from the daemon binary', () => {
  it('40 sites down: one trigger per site, a SIGKILL before the recovery, then one resolve per site', async () => {
    const pd = await startPagerDuty();
    closers.push(() => pd.close());
    const outages = await hook();
    const db = join(dir.path, 'watch.db');
    const config = await writeJson(dir.path, 'sites.json', {
      defaults: { retries: 0, timeoutMs: 5000 },
      sites: Array.from({ length: 40 }, (_, i) => ({
        url: `${site.url}/site-${i + 1}`,
        name: `Site ${i + 1}`,
      })),
      channels: {
        pager: { type: 'pagerduty', routingKey: '${PD_KEY}', baseUrl: pd.url },
        outages: { type: 'webhook', url: outages.url, events: ['down'] },
      },
    });
    const env = { PD_KEY: PAGERDUTY_KEY };
    site.set(500);
    const first = spawnWatch(
      [config, '--db', db, '--schedule', '* * * * * *', '--log-format', 'json', ...FAST],
      { env },
    );
    await waitForCount(first, /"msg":"notification delivered".*"channel":"pager"/, 40, 20_000);
    first.signal('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const triggers = pd.events().filter((e) => e.event_action === 'trigger');
    expect(triggers).toHaveLength(40);
    expect(new Set(triggers.map((e) => e.dedup_key)).size).toBe(40);
    expect(pd.open()).toHaveLength(40);

    site.set(200);
    const second = spawnWatch(
      [config, '--db', db, '--schedule', '* * * * * *', '--log-format', 'json', ...FAST],
      { env },
    );
    await until(() => pd.open().length === 0, 'every alert resolved', 20_000);
    // A few more sweeps: nothing is sent again.
    await waitForCount(second, /"msg":"sweep"/, 3);
    second.signal('SIGTERM');
    expect((await second.exited).code).toBe(0);

    expect(pd.events().filter((e) => e.event_action === 'trigger')).toHaveLength(40);
    expect(pd.events().filter((e) => e.event_action === 'resolve')).toHaveLength(40);
    expect([...pd.alerts.values()].every((a) => a.triggers === 1 && !a.open)).toBe(true);
    expect(pd.requests.every((r) => r.answer.status === 202)).toBe(true);
    // The channel that takes only "down" got the outage as one message, and nothing of the recovery.
    expect(titles(outages)).toEqual(['40 down']);
    const logs = `${first.stderr.text}${second.stderr.text}`;
    expect(logs).not.toContain(PAGERDUTY_KEY);
    expect(JSON.stringify(outboxRows(db))).not.toContain(PAGERDUTY_KEY);
  }, 60_000);

  it('holds messages during quiet hours that end during the test, across a SIGKILL, then sends one', async () => {
    const night = await hook();
    const db = join(dir.path, 'watch.db');
    // Quiet hours (UTC, whole minutes) that end 15 to 75 seconds from now.
    const now = new Date();
    const ahead = now.getUTCSeconds() > 45 ? 2 : 1;
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + ahead * 60_000);
    const config = await writeJson(dir.path, 'sites.json', {
      defaults: { retries: 0, timeoutMs: 5000 },
      sites: [{ url: `${site.url}/`, name: 'Shop' }],
      channels: {
        night: {
          type: 'webhook',
          url: night.url,
          quietHours: { from: hhmm(new Date(now.getTime() - 120_000)), to: hhmm(end), timezone: 'UTC' },
        },
      },
    });
    site.set(503);
    const first = watch(config, db);
    await until(() => outboxRows(db).some((r) => r.status === 'pending'), 'a held row');
    expect(outboxRows(db)).toEqual([
      {
        channel: 'night',
        ref: expect.stringMatching(/^sweep:\d+:held$/),
        status: 'pending',
        not_before: end.getTime(),
      },
    ]);
    first.signal('SIGKILL');
    await first.exited;

    const second = watch(config, db);
    await waitForCount(second, /"msg":"sweep"/, 2);
    if (Date.now() < end.getTime()) expect(night.requests).toHaveLength(0);
    await until(() => night.delivered().length >= 1, 'delivery when quiet hours end', 90_000);
    expect(Date.now()).toBeGreaterThanOrEqual(end.getTime());
    await waitForCount(second, /"msg":"sweep"/, 4);
    second.signal('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(night.delivered()).toHaveLength(1);
    const doc = night.delivered()[0]?.json as { title: string; text: string };
    expect(doc.title).toBe('1 down: Shop');
    expect(doc.text).toContain('Quiet hours are over: this is what was held back since');
  }, 120_000);

  it('notify-test --channel sends a test alert to each incident tool and resolves it', async () => {
    const pd = await startPagerDuty();
    const og = await startOpsgenie();
    closers.push(
      () => pd.close(),
      () => og.close(),
    );
    const config = await writeJson(dir.path, 'sites.json', {
      sites: [`${site.url}/`],
      channels: {
        pager: { type: 'pagerduty', routingKey: '${PD_KEY}', baseUrl: pd.url },
        oncall: { type: 'opsgenie', apiKey: '${OG_KEY}', baseUrl: og.url },
        other: { type: 'webhook', url: 'http://127.0.0.1:9/never' },
      },
    });
    const env = { PD_KEY: PAGERDUTY_KEY, OG_KEY: OPSGENIE_KEY };
    const run = await runBin(['notify-test', config, '--channel', 'pager', '--channel', 'oncall'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^pager \(pagerduty\): delivered in \d+ ms: HTTP 202 .*Event processed/m);
    expect(run.stdout).toMatch(
      /^oncall \(opsgenie\): delivered in \d+ ms: HTTP 202 .*Request will be processed/m,
    );
    expect(run.stdout).not.toContain(PAGERDUTY_KEY);
    expect(run.stdout).not.toContain(OPSGENIE_KEY);
    expect(pd.events().map((e) => e.event_action)).toEqual(['trigger', 'resolve']);
    expect(pd.open()).toEqual([]);
    expect(og.open()).toEqual([]);
    expect(og.creates()).toHaveLength(1);
  });

  it('refuses a config whose template does not parse, with its path, before doing anything', async () => {
    const config = await writeJson(dir.path, 'sites.json', {
      sites: [`${site.url}/`],
      channels: {
        team: {
          type: 'slack',
          url: 'https://hooks.example.com/x',
          template: { body: '{{#sites}}{{label}}' },
        },
      },
    });
    const validate = await runBin(['validate', config]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(
      'channels.team.template.body: template does not parse: Unclosed section "sites"',
    );
    const run = await runBin(['watch', config, '--db', join(dir.path, 'watch.db'), '--once']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('channels.team.template.body');
  });
});
