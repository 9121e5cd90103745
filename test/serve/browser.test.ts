/**
 * The status page in a real browser (Debian's headless Chromium through playwright-core): the DOM shows
 * every site with its state and incidents, nothing is logged to the console (a CSP violation would be),
 * nothing scrolls sideways on a 375 px phone, hostile strings stay text. Screenshots go to test-results/
 * for a person to look at. The page served by the real daemon and the one `report --html` writes are
 * opened the same way in test/e2e/serve.test.ts.
 */

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PALETTE } from '../../src/serve/status/css.js';
import { cleanText } from '../../src/serve/status/escape.js';
import { renderStatusPage } from '../../src/serve/status/html.js';
import { startBrowser, type TestBrowser, type TestPage } from '../helpers/browser.js';
import { useCleanup } from '../helpers/cleanup.js';
import { tempDir } from '../helpers/processes.js';
import { hostileModel, hostileText, sampleModel } from './fixtures.js';
import { useStatusServer } from './harness.js';

// The browser's globals, as far as the functions run in the page use them: the project's `lib` has no
// DOM types (src/ must not see them), so they are declared here, for this file only.
interface DomElement {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): DomList;
}
interface DomList extends Iterable<DomElement> {
  length: number;
}
declare const document: {
  title: string;
  body: DomElement;
  documentElement: { scrollWidth: number; nodeName: string };
  getElementById(id: string): DomElement | null;
  querySelectorAll(selector: string): DomList;
};
declare const window: { innerWidth: number };
declare function getComputedStyle(element: DomElement): { backgroundColor: string };

const start = useStatusServer();
const { defer } = useCleanup();

let browser: TestBrowser;
beforeAll(async () => {
  browser = await startBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface SiteView {
  id: string;
  state: string;
  name: string;
  words: string;
  incidents: string[];
  bars: number;
}

/** What the page shows, read from the DOM. */
async function read(p: TestPage) {
  return p.page.evaluate(() => {
    const sites = [...document.querySelectorAll('li.site')].map((li) => ({
      id: li.dataset.siteId ?? '',
      state: li.dataset.state ?? '',
      name: li.querySelector('.site-name')?.textContent ?? '',
      words: li.querySelector('.state')?.textContent ?? '',
      incidents: [...li.querySelectorAll('.incidents-open li')].map((i) => i.textContent ?? ''),
      bars: li.querySelectorAll('.bar').length,
    }));
    return {
      title: document.title,
      banner: document.getElementById('banner')?.textContent ?? '',
      groups: [...document.querySelectorAll('section.group h2')].map((h) => h.textContent ?? ''),
      sites: sites as SiteView[],
      scripts: document.querySelectorAll('script').length,
      images: document.querySelectorAll('img, svg, iframe, object, embed').length,
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    };
  });
}

async function open(url: string, width: number, name: string): Promise<TestPage> {
  const p = await browser.page({ width, height: 900 });
  defer(() => p.page.close());
  const res = await p.page.goto(url, { waitUntil: 'load' });
  expect(res === null || res.ok(), `${url} loads`).toBe(true);
  await p.screenshot(name);
  return p;
}

describe('the status page in Chromium', () => {
  for (const width of [375, 1440]) {
    it(`shows every site, its state in words and its open incident, at ${width} px without sideways scroll`, async () => {
      const { url } = await start(sampleModel());
      const p = await open(`${url}/`, width, `status-served-${width}`);
      const view = await read(p);
      expect(view.title).toBe('Example status');
      expect(view.banner).toBe('Partial outage');
      expect(view.groups).toEqual(['Public', 'Marketing']);
      expect(view.sites.map((s) => [s.id, s.state, s.name, s.words])).toEqual([
        ['shop', 'up', 'SHOP', 'Up'],
        ['api', 'down', 'API', 'Down'],
        ['blog', 'degraded', 'BLOG', 'Degraded'],
        ['new', 'unknown', 'NEW', 'No data yet'],
      ]);
      expect(view.sites.find((s) => s.id === 'api')?.incidents).toEqual([
        'Ongoing since 2030-03-31 11:00Z (1h): timeout: no response within 10 s',
      ]);
      expect(view.sites.every((s) => s.bars === 90)).toBe(true);
      expect(view.scrollWidth).toBeLessThanOrEqual(view.innerWidth);
      expect(p.errors).toEqual([]);
    });
  }

  it('follows prefers-color-scheme', async () => {
    const { url } = await start(sampleModel());
    const p = await browser.page({ width: 1440, height: 900 });
    defer(() => p.page.close());
    await p.page.emulateMedia({ colorScheme: 'dark' });
    await p.page.goto(`${url}/`);
    await p.screenshot('status-served-dark');
    const bg = await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(13, 17, 23)');
    expect(PALETTE.dark.bg).toBe('#0d1117');
    await p.page.emulateMedia({ colorScheme: 'light' });
    expect(await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(246, 247, 249)',
    );
    expect(p.errors).toEqual([]);
  });

  it('keeps hostile strings as text: no element, no script, the words shown as written', async () => {
    const { url } = await start(hostileModel());
    const p = await open(`${url}/`, 375, 'status-hostile-375');
    const view = await read(p);
    expect(view.scripts).toBe(0);
    expect(view.images).toBe(0);
    // Control characters and lone surrogates shown as U+FFFD (the unit test spells that out).
    const shown = cleanText(hostileText());
    expect(view.title).toBe(`Status ${shown}`);
    expect(view.sites.map((s) => s.name)).toEqual([`Shop ${shown}`]);
    expect(view.groups).toEqual([`Group ${shown}`]);
    expect(view.sites[0]?.incidents[0]).toContain(`HTTP 500 ${shown}`);
    expect(view.scrollWidth).toBeLessThanOrEqual(view.innerWidth);
    expect(p.errors).toEqual([]);
    // The badge, opened as a document of its own.
    const badge = await browser.page({ width: 400, height: 100 });
    defer(() => badge.page.close());
    await badge.page.goto(`${url}/badge/evil.svg`);
    const svg = await badge.page.evaluate(() => ({
      root: document.documentElement.nodeName,
      scripts: document.querySelectorAll('script, foreignObject, image').length,
      text: [...document.querySelectorAll('text')].map((t) => t.textContent),
    }));
    expect(svg.root).toBe('svg');
    expect(svg.scripts).toBe(0);
    expect(svg.text[1]).toBe('down');
    expect(badge.errors).toEqual([]);
  });

  it('reads the same with JavaScript off, and as a static file', async () => {
    const dir = await tempDir();
    defer(dir.cleanup);
    const file = join(dir.path, 'index.html');
    await writeFile(file, renderStatusPage(sampleModel()));
    const noJs = await startBrowser({ javaScript: false });
    defer(noJs.close);
    const p = await noJs.page({ width: 375, height: 900 });
    await p.page.goto(pathToFileURL(file).href);
    await p.screenshot('status-static-nojs-375');
    const view = await read(p);
    expect(view.sites.map((s) => [s.id, s.words])).toEqual([
      ['shop', 'Up'],
      ['api', 'Down'],
      ['blog', 'Degraded'],
      ['new', 'No data yet'],
    ]);
    expect(view.scrollWidth).toBeLessThanOrEqual(view.innerWidth);
    expect(p.errors).toEqual([]);
  });
});
