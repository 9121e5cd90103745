/**
 * `watch --listen` and `report --html` from the built bin (build first), against local sites: every
 * route with the daemon's real data and no secret in any body, a real Prometheus scraping it, headless
 * Chromium opening the live and the static page, hostile strings from the config and the store, slow
 * and hostile clients while sweeps go on, a port in use, the warning for an open address without token,
 * and /healthz turning 503 when sweeps stop.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { readFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBrowser } from '../helpers/browser.js';
import { startHttpServer } from '../helpers/http-server.js';
import { runBin, tempDir, writeJson } from '../helpers/processes.js';
import { promtool, startPrometheus } from '../helpers/prometheus.js';
import { listenLoopback } from '../helpers/sockets.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { killAll, spawnWatch } from '../watch/helpers/daemon-process.js';
import { type SwitchServer, startSwitchServer } from '../watch/helpers/switch-server.js';

const EVERY_SECOND = '* * * * * *';
const CA_FILE = fileURLToPath(new URL('../fixtures/tls/ca.crt', import.meta.url));
const TOKEN = 'e2e-token-6c1f0a';
const CANARIES = { pass: 'canary-pass-5e1d', query: 'canary-query-0b7e', header: 'canary-header-93aa' };
const ENV = { METRICS_TOKEN: TOKEN, CANARY_HEADER: CANARIES.header };

let dir: { path: string; cleanup: () => Promise<void> };
let shop: SwitchServer;
let api: SwitchServer;
let db: string;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  dir = await tempDir();
  shop = await startSwitchServer(200);
  api = await startSwitchServer(503);
  db = join(dir.path, 'watch.db');
});
afterEach(async () => {
  await killAll();
  for (const close of closers.splice(0).reverse()) await close();
  await shop.close();
  await api.close();
  await dir.cleanup();
});

function config(extra: Record<string, unknown> = {}, sites?: unknown[]) {
  return writeJson(dir.path, 'sites.json', {
    defaults: { retries: 0, timeoutMs: '5s' },
    server: { token: '${METRICS_TOKEN}' },
    statusPage: { title: 'E2E status', description: 'Checked every second.', refreshSeconds: 30 },
    sites: sites ?? [
      {
        url: `http://user:${CANARIES.pass}@127.0.0.1:${shop.port}/?api_key=${CANARIES.query}`,
        name: 'Shop',
        group: 'Storefront',
        headers: { 'X-Key': '${CANARY_HEADER}' },
      },
      { url: `${api.url}/health`, name: 'API', group: 'Platform' },
    ],
    ...extra,
  });
}

/** Starts the daemon with --listen on a free port and resolves with the status server's URL. */
async function startDaemon(file: string, listen = '127.0.0.1:0', schedule = EVERY_SECOND) {
  const daemon = spawnWatch(
    [file, '--db', db, '--schedule', schedule, '--log-format', 'json', '--listen', listen],
    {
      env: ENV,
    },
  );
  const line = await daemon.stderr.waitFor(/"msg":"status server"/, 15_000);
  const url = (JSON.parse(line) as { url: string }).url;
  return { daemon, url };
}

const auth = { authorization: `Bearer ${TOKEN}` };

interface StatusJson {
  banner: { state: string };
  sites: { id: string; state: string; openIncidents: { cause: string }[] }[];
}

/** Polls status.json until the sites have the given states; fails the test if they never do. */
async function untilStates(url: string, want: Record<string, string>): Promise<StatusJson> {
  const until = Date.now() + 15_000;
  let last: StatusJson | null = null;
  while (Date.now() < until) {
    last = (await (await fetch(`${url}/api/status.json`, { headers: auth })).json()) as StatusJson;
    const got = Object.fromEntries(last.sites.map((s) => [s.id, s.state]));
    if (Object.entries(want).every(([id, state]) => got[id] === state)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`states never became ${JSON.stringify(want)}: ${JSON.stringify(last)}`);
}

describe('watch --listen', () => {
  it('serves the live states on every route, with no secret in any of them', async () => {
    const { url } = await startDaemon(await config());
    const status = await untilStates(url, { shop: 'up', api: 'down' });
    expect(status.banner.state).toBe('major-outage');
    expect(status.sites.find((s) => s.id === 'api')?.openIncidents.map((i) => i.cause)).toEqual([
      'HTTP 503, expected 200-399',
    ]);
    const bodies: Record<string, string> = {};
    for (const path of [
      '/',
      '/api/status.json',
      '/metrics',
      '/healthz',
      '/badge/shop.svg',
      '/badge/api.svg?type=uptime',
    ]) {
      const res = await fetch(`${url}${path}`, { headers: auth });
      expect(res.status, path).toBe(200);
      bodies[path] = `${JSON.stringify([...res.headers])}\n${await res.text()}`;
    }
    expect(bodies['/']).toContain('<title>E2E status</title>');
    expect(bodies['/badge/shop.svg']).toContain('>up</text>');
    expect(bodies['/metrics']).toMatch(
      /uptime_squirrel_site_up\{site="api",url="http:\/\/127\.0\.0\.1:\d+\/health",group="Platform"\} 0/,
    );
    expect(bodies['/metrics']).toMatch(
      /uptime_squirrel_site_up\{site="shop",url="http:\/\/\*\*\*@127\.0\.0\.1:\d+\/\?api_key=\*\*\*",group="Storefront"\} 1/,
    );
    expect(bodies['/healthz']).toContain('"healthy": true');
    for (const [path, body] of Object.entries(bodies)) {
      for (const canary of [...Object.values(CANARIES), TOKEN])
        expect(body.includes(canary), `${canary} in ${path}`).toBe(false);
    }
    // The machine-readable routes want the token; the page does not.
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/api/status.json`)).status).toBe(401);
    expect((await fetch(`${url}/`, { method: 'POST' })).status).toBe(405);
  });

  it('a real Prometheus scrapes it and finds each site up or down; promtool accepts the exposition', async () => {
    const { url } = await startDaemon(await config());
    await untilStates(url, { shop: 'up', api: 'down' });
    const lint = promtool(
      ['check', 'metrics'],
      await (await fetch(`${url}/metrics`, { headers: auth })).text(),
    );
    expect(lint.output).toBe('');
    expect(lint.code).toBe(0);
    const prometheus = await startPrometheus([{ address: new URL(url).host, bearerToken: TOKEN }]);
    closers.push(prometheus.stop);
    let up: { metric: Record<string, string>; value: number }[] = [];
    const until = Date.now() + 20_000;
    while (Date.now() < until && up.length < 2) {
      up = await prometheus.query('uptime_squirrel_site_up');
      if (up.length < 2) await new Promise((r) => setTimeout(r, 250));
    }
    expect(up.map((s) => [s.metric.site, s.metric.group, s.value]).sort()).toEqual([
      ['api', 'Platform', 0],
      ['shop', 'Storefront', 1],
    ]);
    const sweeps = await prometheus.query('uptime_squirrel_sweeps_total{outcome="ok"}');
    expect(sweeps[0]?.value).toBeGreaterThan(0);
  });

  it('Chromium shows the live page and the one report --html writes, alike', async () => {
    const file = await config();
    const { url } = await startDaemon(file);
    await untilStates(url, { shop: 'up', api: 'down' });
    const www = join(dir.path, 'www');
    const report = await runBin(['report', '--db', db, '--html', www, '--config', file], { env: ENV });
    expect(report.stderr).toBe('');
    expect(report.stdout).toBe(
      `wrote the status page of 2 sites to ${www}: index.html, status.json and 4 badges\n`,
    );
    expect(report.code).toBe(0);
    for (const name of ['status.json', 'badge/shop.svg', 'badge/uptime/api.svg']) {
      const body = await readFile(join(www, name), 'utf8');
      for (const canary of Object.values(CANARIES))
        expect(body.includes(canary), `${canary} in ${name}`).toBe(false);
    }

    const browser = await startBrowser();
    closers.push(browser.close);
    for (const [name, address, width] of [
      ['e2e-live-375', `${url}/`, 375],
      ['e2e-live-1440', `${url}/`, 1440],
      ['e2e-static-375', pathToFileURL(join(www, 'index.html')).href, 375],
    ] as const) {
      const p = await browser.page({ width, height: 900 });
      await p.page.goto(address);
      await p.screenshot(name);
      const view = (await p.page.evaluate(READ_PAGE)) as PageView;
      expect(view.sites, name).toEqual([
        { id: 'shop', state: 'up', words: 'Up', incidents: [] },
        {
          id: 'api',
          state: 'down',
          words: 'Down',
          incidents: [expect.stringMatching(/^Ongoing since .*: HTTP 503, expected 200-399$/)],
        },
      ]);
      expect(view.groups, name).toEqual(['Storefront', 'Platform']);
      expect(view.scrollWidth, name).toBeLessThanOrEqual(view.innerWidth);
      expect(p.errors, name).toEqual([]);
      await p.page.close();
    }
  });

  it('keeps hostile strings from the config and the store as text', async () => {
    const evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)></title>\u0007';
    const file = await config({ statusPage: { title: `T ${evil}`, description: `D ${evil}` } }, [
      { url: `${shop.url}/`, name: `Shop ${evil}`, group: `G ${evil}` },
      { url: `${api.url}/health`, name: 'API' },
    ]);
    // A first cycle opens an incident; its cause is then what an older version or a hostile server left.
    const once = await runBin(['watch', file, '--db', db, '--once'], { env: ENV });
    expect(once.code).toBe(0);
    const conn = new Database(db);
    const changed = conn
      .prepare('UPDATE incidents SET cause = ?')
      .run(JSON.stringify({ kind: 'protocol', status: null, message: `bad ${evil}` })).changes;
    conn.close();
    expect(changed).toBe(1);
    const { url } = await startDaemon(file);
    const html = await (await fetch(`${url}/`)).text();
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&lt;/title&gt;\ufffd',
    );
    const ids = (
      (await (await fetch(`${url}/api/status.json`, { headers: auth })).json()) as StatusJson
    ).sites.map((s) => s.id);
    const badge = await (await fetch(`${url}/badge/${ids[0]}.svg`)).text();
    expect(badge).not.toMatch(/<script|<img/i);

    const browser = await startBrowser();
    closers.push(browser.close);
    const p = await browser.page({ width: 375, height: 900 });
    await p.page.goto(`${url}/`);
    await p.screenshot('e2e-hostile-375');
    const dom = (await p.page.evaluate(READ_HOSTILE)) as { elements: number; title: string; cause: string };
    expect(dom.elements).toBe(0);
    expect(dom.title).toBe(`T ${evil.replace('\u0007', '\ufffd')}`);
    expect(dom.cause).toContain(`protocol: bad ${evil.replace('\u0007', '\ufffd')}`);
    expect(p.errors).toEqual([]);
  });
});

describe('watch --listen and certificates', () => {
  it('shows the days left of an https site and exports its expiry', async () => {
    const tlsSite = await startHttpServer((_req, res) => res.end('ok'), { tls: 'server' });
    closers.push(tlsSite.close);
    const file = await config({}, [{ url: `${tlsSite.url}/`, name: 'Secure' }]);
    const daemon = spawnWatch(
      [file, '--db', db, '--schedule', EVERY_SECOND, '--log-format', 'json', '--listen', '127.0.0.1:0'],
      {
        env: { ...ENV, NODE_EXTRA_CA_CERTS: CA_FILE },
      },
    );
    const url = (JSON.parse(await daemon.stderr.waitFor(/"msg":"status server"/, 15_000)) as { url: string })
      .url;
    await untilStates(url, { secure: 'up' });
    const expires = Date.UTC(2045, 0, 1);
    const status = (await (await fetch(`${url}/api/status.json`, { headers: auth })).json()) as {
      sites: { certDaysLeft: number | null }[];
    };
    expect(status.sites[0]?.certDaysLeft).toBe(Math.floor((expires - Date.now()) / 86_400_000));
    const metrics = await (await fetch(`${url}/metrics`, { headers: auth })).text();
    expect(metrics).toMatch(
      new RegExp(
        `uptime_squirrel_site_certificate_expiry_timestamp_seconds\\{site="secure",[^}]*\\} ${expires / 1000}\n`,
      ),
    );
    expect(await (await fetch(`${url}/`)).text()).toMatch(/certificate: \d+ days left/);
  });
});

describe('watch --listen metrics of notifications', () => {
  it('counts sends by channel and outcome, and the outbox backlog per channel', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    // The first send fails (503: retried), the second is taken.
    receiver.script(503, 200);
    const file = await config({ channels: { ops: { type: 'webhook', url: `${receiver.url}` } } });
    const daemon = spawnWatch(
      [
        file,
        '--db',
        db,
        '--schedule',
        EVERY_SECOND,
        '--log-format',
        'json',
        '--listen',
        '127.0.0.1:0',
        '--retry-first',
        '200ms',
      ],
      { env: ENV },
    );
    const url = (JSON.parse(await daemon.stderr.waitFor(/"msg":"status server"/, 15_000)) as { url: string })
      .url;
    await receiver.waitForRequests(2, 15_000);
    const until = Date.now() + 15_000;
    let metrics = '';
    while (
      Date.now() < until &&
      !metrics.includes('uptime_squirrel_notifications_total{channel="ops",outcome="sent"} 1')
    ) {
      metrics = await (await fetch(`${url}/metrics`, { headers: auth })).text();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(metrics).toContain('uptime_squirrel_notifications_total{channel="ops",outcome="retry"} 1');
    expect(metrics).toContain('uptime_squirrel_notifications_total{channel="ops",outcome="sent"} 1');
    expect(metrics).toContain('uptime_squirrel_outbox_backlog{channel="ops"} 0');
  });
});

describe('watch --listen under slow and hostile clients', () => {
  it('keeps sweeping and stays within its memory while clients trickle, pile up and send 1 MB request lines', async () => {
    // Every 2 s: room for a sweep of two local sites on a busy test machine, so that a skipped tick
    // would be the server's doing, not the other test files'.
    const { daemon, url } = await startDaemon(await config(), '127.0.0.1:0', '*/2 * * * * *');
    await untilStates(url, { shop: 'up', api: 'down' });
    const { port } = new URL(url);
    const rssBefore = await rssOf(daemon.pid);
    const sweepsBefore = daemon.logs().filter((l) => l.msg === 'sweep').length;
    // 50 request lines of 1 MB at once: each refused from its first 8 KiB, the rest never read.
    const huge = `GET /${'a'.repeat(1024 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`;
    const answers = await Promise.all(Array.from({ length: 50 }, () => rawAnswer(Number(port), huge)));
    // A client still writing its megabyte when the server closes may see the reset before the 431:
    // an empty answer is a refusal too. Anything else (a 200, a 404 served from the line) is not.
    const heads = answers.map((a) => a.slice(0, 40));
    expect(heads.filter((a) => a !== '' && !a.startsWith('HTTP/1.1 431 '))).toEqual([]);
    expect(heads.filter((a) => a.startsWith('HTTP/1.1 431 ')).length).toBeGreaterThan(0);
    // Then a slowloris, trickling a header line every 200 ms, and a thousand idle connections (past
    // the cap of 256 they are closed at once).
    const sockets: Socket[] = [];
    closers.push(async () => {
      for (const s of sockets) s.destroy();
    });
    const slow = connect({ host: '127.0.0.1', port: Number(port) }).on('error', () => {});
    sockets.push(slow);
    const slowAnswer = new Promise<string>((resolve) => {
      let data = '';
      slow.setEncoding('latin1').on('data', (chunk: string) => {
        data += chunk;
      });
      slow.on('close', () => resolve(data));
    });
    slow.write('GET / HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => slow.writable && slow.write('X-A: b\r\n'), 200);
    closers.push(async () => clearInterval(trickle));
    for (let i = 0; i < 1000; i++)
      sockets.push(connect({ host: '127.0.0.1', port: Number(port) }).on('error', () => {}));
    // Sweeps go on meanwhile: at least three more, none of their ticks skipped.
    await daemon.stderr.waitUntil(
      () => (daemon.logs().filter((l) => l.msg === 'sweep').length >= sweepsBefore + 3 ? true : undefined),
      'three more sweeps',
      15_000,
    );
    expect(daemon.logs().filter((l) => l.msg === 'tick skipped')).toEqual([]);
    // The slowloris is cut off by the headers timeout (5 s), and the server answers as before.
    expect(await slowAnswer).toMatch(/^HTTP\/1\.1 408 /);
    await untilHealth(url, 200);
    expect(await rssOf(daemon.pid)).toBeLessThan(rssBefore + 48 * 1024 * 1024);
  });
});

describe('watch --listen at start', () => {
  it('a port in use is a clear error naming the address (exit 2)', async () => {
    const other = createServer();
    const port = await listenLoopback(other);
    closers.push(() => new Promise((resolve) => other.close(() => resolve())));
    const daemon = spawnWatch(
      [await config(), '--db', db, '--schedule', EVERY_SECOND, '--listen', `127.0.0.1:${port}`],
      {
        env: ENV,
      },
    );
    const { code } = await daemon.exited;
    expect(daemon.stderr.text).toContain(
      `error: Cannot serve the status page on 127.0.0.1:${port}: the address is already in use by another program; pick another port, or stop that program`,
    );
    expect(code).toBe(2);
  });

  it('an address beyond loopback without a token works, with a warning', async () => {
    const { daemon, url } = await startDaemon(await config({ server: {} }), '0.0.0.0:0');
    const warning = JSON.parse(await daemon.stderr.waitFor(/"msg":"status server without token"/, 5_000));
    expect(warning.level).toBe('warn');
    expect(warning.address).toMatch(/^0\.0\.0\.0:\d+$/);
    expect((await fetch(`${url.replace('0.0.0.0', '127.0.0.1')}/metrics`)).status).toBe(200);
  });

  it('/healthz turns 503 naming the sweeps when they stop finishing, and 200 again when they do', async () => {
    const { url } = await startDaemon(await config());
    await untilStates(url, { shop: 'up', api: 'down' });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    api.set('hang');
    const sick = await untilHealth(url, 503);
    expect(sick.parts.sweeps.healthy).toBe(false);
    expect(sick.parts.sweeps.detail).toMatch(/more than two schedule intervals/);
    api.set(200);
    await untilHealth(url, 200);
  });
});

async function untilHealth(url: string, status: number) {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    const res = await fetch(`${url}/healthz`);
    const body = (await res.json()) as { parts: { sweeps: { healthy: boolean; detail: string } } };
    if (res.status === status) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`/healthz never answered ${status}`);
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
}

/** Sends `request` on a fresh connection and resolves with what comes back before the server closes it. */
function rawAnswer(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(data));
    // A server that neither answers nor closes is told apart from one that closed: never '' for a hang.
    socket.setTimeout(10_000, () => {
      resolve('(no answer within 10 s)');
      socket.destroy();
    });
    socket.write(request);
  });
}

// Run in the page; strings, so the project's lib needs no DOM types.
const READ_PAGE = `(() => ({
  sites: [...document.querySelectorAll('li.site')].map((li) => ({
    id: li.dataset.siteId,
    state: li.dataset.state,
    words: li.querySelector('.state').textContent,
    incidents: [...li.querySelectorAll('.incidents-open li')].map((i) => i.textContent),
  })),
  groups: [...document.querySelectorAll('section.group h2')].map((h) => h.textContent),
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
}))()`;

interface PageView {
  sites: { id: string; state: string; words: string; incidents: string[] }[];
  groups: string[];
  scrollWidth: number;
  innerWidth: number;
}

const READ_HOSTILE = `(() => ({
  elements: document.querySelectorAll('script, img, svg, iframe, object, embed').length,
  title: document.title,
  cause: document.querySelector('.incidents-open li')?.textContent ?? '',
}))()`;
