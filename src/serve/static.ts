/**
 * `report --html DIR`: the status page, `status.json` and the badges as static files for any web host
 * (the Upptime way: no server needed). Written atomically: every file is first written whole into a
 * temporary folder inside DIR, then renamed over its old version (a rename within one file system is
 * atomic), the page last, so a visitor or a sync job never sees a half-written file.
 */

import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Rendered } from './http/routes.js';

export interface StaticSite {
  dir: string;
  /** Paths written, relative to dir. */
  files: string[];
}

/**
 * Writes `index.html`, `status.json`, `badge/<id>.svg` (state) and `badge/uptime/<id>.svg` (30-day uptime;
 * a folder of its own, as a static host has no `?type=`); removes the badges of sites no longer listed.
 */
export async function writeStaticSite(dir: string, status: Rendered): Promise<StaticSite> {
  await mkdir(join(dir, 'badge', 'uptime'), { recursive: true });
  const tmp = await mkdtemp(join(dir, '.uptime-squirrel-'));
  try {
    const badges = new Map<string, string>();
    for (const site of status.model.sites) {
      badges.set(join('badge', `${site.id}.svg`), status.badge(site.id, 'state') ?? '');
      badges.set(join('badge', 'uptime', `${site.id}.svg`), status.badge(site.id, 'uptime') ?? '');
    }
    const files: [string, string][] = [
      ...badges,
      ['status.json', status.json],
      // Last: the page links nothing, but a person reloading it sees the newest figures only once all is in place.
      ['index.html', status.html],
    ];
    await mkdir(join(tmp, 'badge', 'uptime'), { recursive: true });
    for (const [name, body] of files) await writeFile(join(tmp, name), body, { flush: true });
    for (const [name] of files) await rename(join(tmp, name), join(dir, name));
    for (const folder of [join('badge'), join('badge', 'uptime')]) {
      for (const old of await readdir(join(dir, folder))) {
        const name = join(folder, old);
        if (old.endsWith('.svg') && !badges.has(name)) await rm(join(dir, name), { force: true });
      }
    }
    return { dir, files: files.map(([name]) => name) };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
