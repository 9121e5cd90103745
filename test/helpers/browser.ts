import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { repoRoot } from './processes.js';

/** Debian's chromium (scripts/ensure-test-deps.sh installs it); playwright-core downloads no browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Screenshots for a person to look at; git-ignored. */
export const RESULTS_DIR = join(repoRoot, 'test-results');

export interface TestBrowser {
  context: BrowserContext;
  /** A new page at the given viewport, recording console errors and warnings, page errors, failed requests. */
  page(viewport: { width: number; height: number }): Promise<TestPage>;
  close(): Promise<void>;
}

export interface TestPage {
  page: Page;
  /** Console errors, page errors and failed requests seen so far. */
  errors: string[];
  /** Writes a full-page PNG under test-results/ and returns its path. */
  screenshot(name: string): Promise<string>;
}

/**
 * Headless Chromium with a new empty profile (playwright passes it as --user-data-dir), nothing reaching
 * out on its own (no sync, no component updates, no QUIC), so a test sees only the requests the page
 * makes. `javaScript: false` runs the pages with JavaScript off.
 */
export async function startBrowser(opts: { javaScript?: boolean } = {}): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'uptime-squirrel-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    javaScriptEnabled: opts.javaScript ?? true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 30_000,
  });
  return {
    context,
    async page(viewport) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) =>
        errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`),
      );
      return {
        page,
        errors,
        async screenshot(name) {
          await mkdir(RESULTS_DIR, { recursive: true });
          const path = join(RESULTS_DIR, `${name}.png`);
          await page.screenshot({ path, fullPage: true });
          return path;
        },
      };
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
