import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeStaticSite } from '../../src/serve/static.js';
import { renderStatus } from '../../src/serve/status/render.js';
import { useCleanup } from '../helpers/cleanup.js';
import { tempDir } from '../helpers/processes.js';
import { model, sampleModel } from './fixtures.js';

const { defer } = useCleanup();

async function dir() {
  const d = await tempDir();
  defer(d.cleanup);
  return join(d.path, 'www');
}

describe('report --html files', () => {
  it('writes the page, status.json and both badges of every site, and removes badges of sites gone', async () => {
    const www = await dir();
    const full = renderStatus(sampleModel(), []);
    const written = await writeStaticSite(www, full);
    expect(written.files.sort()).toEqual(
      [
        'index.html',
        'status.json',
        ...['shop', 'api', 'blog', 'new'].flatMap((id) => [`badge/${id}.svg`, `badge/uptime/${id}.svg`]),
      ].sort(),
    );
    expect(await readFile(join(www, 'index.html'), 'utf8')).toBe(full.html);
    expect(await readFile(join(www, 'status.json'), 'utf8')).toBe(full.json);
    expect(await readFile(join(www, 'badge/uptime/shop.svg'), 'utf8')).toBe(full.badge('shop', 'uptime'));

    const fewer = renderStatus(model(sampleModel().sites.slice(0, 1)), []);
    await writeStaticSite(www, fewer);
    expect((await readdir(join(www, 'badge'))).sort()).toEqual(['shop.svg', 'uptime']);
    expect(await readdir(join(www, 'badge/uptime'))).toEqual(['shop.svg']);
    // No temporary folder left behind.
    expect((await readdir(www)).sort()).toEqual(['badge', 'index.html', 'status.json']);
  });

  it('never shows a half-written page to a reader while it rewrites', async () => {
    const www = await dir();
    const a = renderStatus(sampleModel(), []);
    const b = renderStatus(model(sampleModel().sites.slice(0, 2), { title: 'Other' }), []);
    await writeStaticSite(www, a);
    let writing = true;
    const seen = new Set<string>();
    const reader = (async () => {
      while (writing) seen.add(await readFile(join(www, 'index.html'), 'utf8'));
    })();
    for (let i = 0; i < 20; i++) await writeStaticSite(www, i % 2 === 0 ? b : a);
    writing = false;
    await reader;
    expect(seen.size).toBeGreaterThan(0);
    for (const page of seen) expect([a.html, b.html]).toContain(page);
  });
});
