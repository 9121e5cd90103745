/**
 * `report --html DIR`: the status page, status.json and badges from the database, as static files. With
 * the config, the same page `watch --listen` serves (its title, groups and public sites); without, every
 * site of the database under a plain title.
 */

import type { Config } from '../config/types.js';
import { StatusReader } from '../store/status-history.js';
import { siteIds } from '../util/site-id.js';
import type { LiveConfig } from './live.js';
import { pageConfig } from './page-config.js';
import { writeStaticSite } from './static.js';
import { UptimeBook } from './status/book.js';
import { buildStatusModel, DEFAULT_PAGE } from './status/build.js';
import { renderStatus } from './status/render.js';

export interface StatusFiles {
  dir: string;
  files: string[];
  sites: number;
}

export function writeStatusFiles(opts: {
  dir: string;
  dbFile: string;
  config: Config | null;
  now?: number;
}): Promise<StatusFiles> {
  const now = opts.now ?? Date.now();
  const reader = StatusReader.open(opts.dbFile);
  let read: ReturnType<typeof readAll>;
  try {
    read = reader.snapshot((r) => readAll(r, now));
  } finally {
    reader.close();
  }
  const { counts, current } = read;
  let live: LiveConfig;
  if (opts.config !== null) live = pageConfig(opts.config);
  else {
    const stored = [...current.sites.values()];
    const ids = siteIds(stored);
    live = {
      sites: stored.map((s, i) => ({
        id: ids[i] ?? s.key,
        key: s.key,
        name: s.name,
        url: s.url,
        group: null,
        public: true,
      })),
      page: DEFAULT_PAGE,
      channels: [],
      secrets: [],
    };
  }
  const model = buildStatusModel({
    page: live.page,
    sites: live.sites.filter((s) => s.public),
    current,
    book: UptimeBook.from(counts),
    now,
  });
  return writeStaticSite(opts.dir, renderStatus(model, live.secrets)).then((written) => ({
    dir: written.dir,
    files: written.files,
    sites: model.sites.length,
  }));
}

function readAll(reader: StatusReader, now: number) {
  return { counts: reader.counts(now), current: reader.current(now) };
}
