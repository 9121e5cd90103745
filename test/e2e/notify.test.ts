/**
 * The daemon binary with real channels (build first: npx tsc -p tsconfig.build.json): an SMTP server
 * and a webhook receiver that fail, a daemon killed with SIGKILL while its messages are pending, and a
 * restart that delivers each of them once.
 */

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBin, tempDir, writeJson } from '../helpers/processes.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { startWebhookReceiver, type TestWebhookReceiver } from '../helpers/webhook-receiver.js';
import { killAll, spawnWatch, waitForCount } from '../watch/helpers/daemon-process.js';
import { type SwitchServer, startSwitchServer } from '../watch/helpers/switch-server.js';

let dir: { path: string; cleanup: () => Promise<void> };
let site: SwitchServer;
let mail: TestSmtpServer;
let hook: TestWebhookReceiver;
let config: string;
let db: string;

const SWEEP = /"msg":"sweep"/;
const FAST = ['--retry-first', '100ms', '--retry-max', '200ms', '--send-timeout', '2s'];

beforeEach(async () => {
  dir = await tempDir();
  site = await startSwitchServer(200);
  mail = await startSmtpServer();
  hook = await startWebhookReceiver();
  config = await writeJson(dir.path, 'sites.json', {
    defaults: { retries: 0, timeoutMs: 5000 },
    sites: [{ url: `${site.url}/`, name: 'Shop' }],
    channels: {
      mail: { type: 'email', smtp: mail.url(null), from: 'monitor@example.com', to: ['ops@example.com'] },
      hook: { type: 'webhook', url: hook.url },
    },
  });
  db = join(dir.path, 'watch.db');
});

afterEach(async () => {
  await killAll();
  await Promise.all([site.close(), mail.close(), hook.close()]);
  await dir.cleanup();
});

function watch(...extra: string[]) {
  return spawnWatch([
    config,
    '--db',
    db,
    '--schedule',
    '* * * * * *',
    '--log-format',
    'json',
    ...FAST,
    ...extra,
  ]);
}

function outbox(): { channel: string; status: string }[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare('SELECT channel, status FROM outbox ORDER BY channel, id').all() as {
      channel: string;
      status: string;
    }[];
  } finally {
    conn.close();
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('notifications from the daemon binary', () => {
  it('killed with SIGKILL while messages are pending, the restart delivers each once', async () => {
    // Both channels fail, transiently, until the daemon is dead.
    mail.script(...Array.from({ length: 1000 }, () => ({ code: 451, message: 'Try again later' })));
    hook.setDefault(503);
    site.set(500);
    const first = watch();
    await until(() => mail.attempts >= 2 && hook.requests.length >= 2, 'two failed attempts per channel');
    first.signal('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(outbox()).toEqual([
      { channel: 'hook', status: 'pending' },
      { channel: 'mail', status: 'pending' },
    ]);

    mail.clearScript();
    hook.setDefault(200);
    const second = watch();
    await until(
      () => mail.messages.length >= 1 && hook.delivered().length >= 1,
      'delivery after the restart',
    );
    // More sweeps (the site is still down: no new event) and retry periods pass: nothing is sent again.
    await waitForCount(second, SWEEP, 3);
    second.signal('SIGTERM');
    expect((await second.exited).code).toBe(0);

    expect(mail.messages).toHaveLength(1);
    expect(mail.messages[0]?.subject).toBe('[uptime-squirrel] 1 down: Shop');
    expect(mail.messages[0]?.text).toContain(`- Shop (${site.url}/): HTTP 500`);
    expect(hook.delivered()).toHaveLength(1);
    expect(outbox()).toEqual([
      { channel: 'hook', status: 'delivered' },
      { channel: 'mail', status: 'delivered' },
    ]);
    const logs = second.logs();
    expect(logs.filter((l) => l.msg === 'notification delivered').map((l) => l.channel)).toEqual(
      expect.arrayContaining(['mail', 'hook']),
    );
  });

  it('watch --once runs the whole cycle, notifications included', async () => {
    site.set(503);
    const run = await runBin(['watch', config, '--db', db, '--once', ...FAST], { timeoutMs: 10_000 });
    expect(run.code).toBe(0);
    expect(mail.messages.map((m) => m.subject)).toEqual(['[uptime-squirrel] 1 down: Shop']);
    expect(hook.delivered()).toHaveLength(1);
    expect(run.stderr).toMatch(/notify channel mail \(email\): delivered "1 down: Shop"/);

    // The site recovers: the next run says how long it was down.
    site.set(200);
    const again = await runBin(['watch', config, '--db', db, '--once', ...FAST], { timeoutMs: 10_000 });
    expect(again.code).toBe(0);
    expect(mail.messages[1]?.subject).toBe('[uptime-squirrel] 1 recovered: Shop');
    expect(mail.messages[1]?.text).toMatch(/was down from .* to .*: HTTP 503/);
  });
});
