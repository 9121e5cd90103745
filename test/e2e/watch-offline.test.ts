/**
 * The monitor-offline rule through the real binary (build first): sites that answer with an error are
 * down, never "the monitor is offline"; a sweep in which no site answers at all is kept as offline,
 * without per-site alerts, and `report` shows the gap; connectivity targets have the last word.
 */

import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { refusedUrl } from '../helpers/ports.js';
import { runBin, tempDir, writeJson } from '../helpers/processes.js';
import { startRawServer, type TestRawServer } from '../helpers/raw-server.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { jsonOf, startWebhookReceiver, type TestWebhookReceiver } from '../helpers/webhook-receiver.js';
import { queryDb } from '../watch/helpers/query.js';

let dir: { path: string; cleanup: () => Promise<void> };
let hook: TestWebhookReceiver;
let db: string;

beforeEach(async () => {
  dir = await tempDir();
  hook = await startWebhookReceiver();
  db = join(dir.path, 'watch.db');
});
afterEach(async () => {
  await hook.close();
  await dir.cleanup();
});

const FAST = ['--retry-first', '100ms', '--retry-max', '200ms', '--send-timeout', '2s'];

function once(config: string) {
  return runBin(['watch', config, '--once', '--db', db, ...FAST], { timeoutMs: 15_000 });
}

async function report(...args: string[]) {
  const run = await runBin(['report', '--db', db, ...args], { timeoutMs: 8000, env: { NO_COLOR: '1' } });
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

const query = <T>(sql: string): T[] => queryDb<T>(db, sql);

interface WebhookDoc {
  title: string;
  text: string;
  entries: { kind: string; site: { name: string } | null; cause: string | null }[];
}

interface ReportDoc {
  sites: {
    name: string;
    uptimePct: number | null;
    checks: number;
    offlineChecks: number;
    incidents: unknown[];
  }[];
  offline: { start: string; end: string | null; durationMs: number; sweeps: number; cause: string }[];
}

describe('5 sites behind one backend, 4 answering 503 and 1 answering 200 (issue 10)', () => {
  let backend: TestHttpServer;
  let mail: TestSmtpServer;

  beforeEach(async () => {
    backend = await startHttpServer((req, res) => {
      res.writeHead(req.url === '/5' ? 200 : 503).end();
    });
    mail = await startSmtpServer();
  });
  afterEach(async () => {
    await Promise.all([backend.close(), mail.close()]);
  });

  it('alerts each failing site by mail and webhook, and report shows the outages', async () => {
    const config = await writeJson(dir.path, 'sites.json', {
      defaults: { retries: 0 },
      sites: [1, 2, 3, 4, 5].map((n) => ({ url: `${backend.url}/${n}`, name: `Site ${n}` })),
      channels: {
        mail: { type: 'email', smtp: mail.url(null), from: 'monitor@example.com', to: ['ops@example.com'] },
        hook: { type: 'webhook', url: hook.url },
      },
    });
    const run = await once(config);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/MONITOR OFFLINE/);
    expect(run.stderr).toMatch(/sweep #1: 1 up, 4 down \(5 sites\)/);

    expect(mail.messages.map((m) => m.subject)).toEqual(['[uptime-squirrel] 4 down']);
    for (const n of [1, 2, 3, 4]) {
      expect(mail.messages[0]?.text).toContain(
        `- Site ${n} (${backend.url}/${n}): HTTP 503, expected 200-399`,
      );
    }
    expect(mail.messages[0]?.text).not.toContain('Site 5');
    const doc = jsonOf<WebhookDoc>(hook.delivered()[0]);
    expect(doc.entries.map((e) => [e.kind, e.site?.name])).toEqual([
      ['down', 'Site 1'],
      ['down', 'Site 2'],
      ['down', 'Site 3'],
      ['down', 'Site 4'],
    ]);

    const json = JSON.parse(await report('--json')) as ReportDoc;
    expect(json.offline).toEqual([]);
    expect(json.sites.map((s) => [s.name, s.uptimePct, s.checks, s.incidents.length])).toEqual([
      ['Site 1', 0, 1, 1],
      ['Site 2', 0, 1, 1],
      ['Site 3', 0, 1, 1],
      ['Site 4', 0, 1, 1],
      ['Site 5', 100, 1, 0],
    ]);
    const table = await report();
    expect(table).toMatch(/^Site 1 +DOWN .* 0\.00% +1 /m);
    expect(table).toMatch(/Incidents\n {2}Site 1: .* to ongoing .*: HTTP 503, expected 200-399/);
    expect(table).not.toContain('Monitor offline');
  });
});

describe('a sweep in which no site answers at all', () => {
  let backend: TestRawServer;
  let answering = false;

  beforeEach(async () => {
    answering = false;
    // Resets every connection while "offline"; an ordinary 200 once it answers again.
    const http = createServer((_req, res) => res.writeHead(200).end());
    backend = await startRawServer((socket) => {
      if (answering) http.emit('connection', socket);
      else socket.resetAndDestroy();
    });
  });
  afterEach(async () => {
    await backend.close();
  });

  it('is kept as monitor offline, alerts no site, and report shows the gap until the monitor is back', async () => {
    const config = await writeJson(dir.path, 'sites.json', {
      defaults: { retries: 0 },
      sites: [1, 2, 3, 4, 5].map((n) => ({ url: `${backend.url}/${n}`, name: `Site ${n}` })),
      channels: { hook: { type: 'webhook', url: hook.url } },
    });
    const run = await once(config);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /WARN MONITOR OFFLINE: 5 of 5 checks got no response \(5 reset\); the monitor's own network is the likely culprit/,
    );
    expect(query('SELECT outcome FROM sweeps')).toEqual([{ outcome: 'monitor-offline' }]);
    expect(query('SELECT COUNT(*) AS n FROM offline_results')).toEqual([{ n: 5 }]);
    expect(query('SELECT type FROM events')).toEqual([{ type: 'monitor-offline' }]);
    const offline = jsonOf<WebhookDoc>(hook.delivered()[0]);
    expect(offline.title).toBe('monitor offline');
    expect(offline.entries).toEqual([
      expect.objectContaining({
        kind: 'monitor-offline',
        site: null,
        cause: '5 of 5 checks got no response (5 reset)',
      }),
    ]);
    expect(offline.text).toContain('5 of 5 checks got no response (5 reset) at ');

    const during = JSON.parse(await report('--json')) as ReportDoc;
    expect(during.sites.map((s) => [s.uptimePct, s.checks, s.offlineChecks, s.incidents.length])).toEqual(
      Array.from({ length: 5 }, () => [null, 0, 1, 0]),
    );
    expect(during.offline).toEqual([
      {
        start: expect.any(String),
        end: null,
        durationMs: expect.any(Number),
        sweeps: 1,
        cause: '5 of 5 checks got no response (5 reset)',
      },
    ]);
    const table = await report();
    expect(table).toMatch(/^Site 1 +UNKNOWN +- +- +0 .* +0 +·$/m);
    expect(table).toContain('· monitor offline: 5 checks taken then are kept but not counted in uptime');
    expect(table).toMatch(
      /Monitor offline\n {2}\S+ \S+ to ongoing \(.*\), 1 sweep: 5 of 5 checks got no response \(5 reset\)/,
    );

    answering = true;
    const back = await once(config);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).toMatch(/MONITOR ONLINE again after/);
    expect(jsonOf<WebhookDoc>(hook.delivered()[1]).title).toBe('monitor back online');
    const after = JSON.parse(await report('--json')) as ReportDoc;
    expect(after.sites.map((s) => [s.uptimePct, s.checks, s.offlineChecks])).toEqual(
      Array.from({ length: 5 }, () => [100, 1, 1]),
    );
    expect(after.offline).toEqual([expect.objectContaining({ end: expect.any(String), sweeps: 1 })]);
    expect(await report()).toMatch(/Monitor offline\n {2}\S+ \S+ to \S+ \S+ \(.*\), 1 sweep: 5 of 5/);
  });
});

describe('connectivity targets', () => {
  let target: TestHttpServer;
  let sites: string[];

  beforeEach(async () => {
    target = await startHttpServer((_req, res) => res.writeHead(204).end());
    sites = await Promise.all([1, 2, 3, 4, 5].map(() => refusedUrl()));
  });
  afterEach(async () => {
    await target.close();
  });

  async function configWith(targets: string[]) {
    return writeJson(dir.path, 'sites.json', {
      defaults: { retries: 0 },
      sites,
      connectivity: { targets },
      channels: { hook: { type: 'webhook', url: hook.url } },
    });
  }

  it('a target that answers: no offline verdict even when every site is refused', async () => {
    const run = await once(await configWith([`${target.url}/`]));
    expect(run.code, run.stderr).toBe(0);
    expect(target.requests.map((r) => r.method)).toEqual(['HEAD']);
    expect(run.stderr).toMatch(/a connectivity target answered, so the monitor is online/);
    expect(run.stderr).not.toMatch(/MONITOR OFFLINE/);
    expect(query('SELECT outcome FROM sweeps')).toEqual([{ outcome: 'ok' }]);
    expect(query("SELECT COUNT(*) AS n FROM events WHERE type = 'down'")).toEqual([{ n: 5 }]);
    expect(jsonOf<WebhookDoc>(hook.delivered()[0]).title).toBe('5 down');
  });

  it('every target failing too: the monitor is offline', async () => {
    const run = await once(await configWith([await refusedUrl()]));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /WARN no connectivity target answered either: http:\/\/127\.0\.0\.1:\d+\/: refused/,
    );
    expect(run.stderr).toMatch(/MONITOR OFFLINE: 5 of 5 checks got no response \(5 refused\)/);
    expect(query('SELECT outcome FROM sweeps')).toEqual([{ outcome: 'monitor-offline' }]);
  });

  it('"offline": false turns the rule off: every refused site is alerted', async () => {
    const config = await writeJson(dir.path, 'off.json', {
      defaults: { retries: 0 },
      sites,
      offline: false,
      channels: { hook: { type: 'webhook', url: hook.url } },
    });
    const run = await once(config);
    expect(run.code, run.stderr).toBe(0);
    expect(query('SELECT outcome FROM sweeps')).toEqual([{ outcome: 'ok' }]);
    expect(jsonOf<WebhookDoc>(hook.delivered()[0]).title).toBe('5 down');
  });
});
