import { UsageError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import { type Silence, SilenceStore } from '../store/silences.js';
import { formatDuration } from '../util/duration.js';
import type { CommandAction } from './command.js';

export interface SilenceFlags {
  db: string;
  all?: boolean;
  /** --for, in ms. */
  for?: number;
  until?: string;
  reason?: string;
  json?: boolean;
}

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const iso = (ms: number) => new Date(ms).toISOString();

/** When the new silence ends: --for from now, or --until; exactly one of them. */
function endOf(flags: SilenceFlags, now: number): number {
  if ((flags.for === undefined) === (flags.until === undefined))
    throw new UsageError('silence add: give how long with --for (such as 2h) or until when with --until.');
  if (flags.for !== undefined) return now + flags.for;
  const text = flags.until as string;
  const end = Date.parse(text);
  if (!WITH_OFFSET.test(text) || Number.isNaN(end))
    throw new UsageError(
      `--until: expected an ISO-8601 time with an offset, such as 2026-12-25T08:00:00Z, found "${text}".`,
    );
  if (end <= now) throw new UsageError(`--until: ${text} is not in the future.`);
  return end;
}

/** The sites to silence, each one the database knows (by name or URL) once it knows any. */
function targetsOf(store: SilenceStore, names: readonly string[], all: boolean): string[] | null {
  if (all && names.length > 0) throw new UsageError('silence add: name sites or give --all, not both.');
  if (all) return null;
  if (names.length === 0)
    throw new UsageError('silence add: name the sites to silence (name or URL), or give --all.');
  const known = store.sites();
  if (known.length === 0) return [...names];
  const unknown = names.filter((n) => !known.some((s) => s.name === n || s.url === n));
  if (unknown.length > 0) {
    const list = known.map((s) => s.name ?? s.url).join(', ');
    throw new UsageError(
      `silence add: no site ${unknown.map((n) => `"${n}"`).join(', ')} in ${store.file}; its sites are ${list}.`,
    );
  }
  return [...names];
}

function line(s: Silence, now: number): string {
  const sites = s.sites === null ? 'every site' : s.sites.join(', ');
  const when = s.startsAt > now ? `from ${iso(s.startsAt)} ` : '';
  const left = formatDuration(Math.max(0, Math.ceil((s.endsAt - now) / 1000) * 1000));
  return `${s.id}\t${sites}\t${when}until ${iso(s.endsAt)} (${left} left)${s.reason === null ? '' : `\t${s.reason}`}`;
}

function asJson(s: Silence) {
  return {
    id: s.id,
    sites: s.sites,
    createdAt: iso(s.createdAt),
    startsAt: iso(s.startsAt),
    endsAt: iso(s.endsAt),
    reason: s.reason,
  };
}

export function runSilence(
  action: string,
  args: readonly string[],
  flags: SilenceFlags,
  io: CliIO,
  now = Date.now(),
): void {
  if (!['add', 'list', 'rm'].includes(action))
    throw new UsageError(`silence: unknown action "${action}"; the actions are add, list and rm.`);
  const store = SilenceStore.open(flags.db);
  try {
    if (action === 'add') {
      const sites = targetsOf(store, args, flags.all === true);
      const endsAt = endOf(flags, now);
      const s = store.add({ sites, startsAt: now, endsAt, reason: flags.reason ?? null }, now);
      io.stdout.write(flags.json ? `${JSON.stringify(asJson(s))}\n` : `silence ${line(s, now)}\n`);
    } else if (action === 'list') {
      const list = store.list(now);
      if (flags.json) io.stdout.write(`${JSON.stringify(list.map(asJson), null, 2)}\n`);
      else
        io.stdout.write(
          list.length === 0 ? 'no silences\n' : `${list.map((s) => line(s, now)).join('\n')}\n`,
        );
    } else {
      const id = Number(args[0]);
      if (args.length !== 1 || !Number.isSafeInteger(id) || id < 1)
        throw new UsageError('silence rm: give the id of one silence (silence list shows them).');
      if (!store.remove(id, now))
        throw new UsageError(`silence rm: no silence ${id} going on in ${flags.db}.`);
      io.stdout.write(`silence ${id} removed\n`);
    }
  } finally {
    store.close();
  }
}

export const action: CommandAction<SilenceFlags> = async ([what, ...rest], flags, { io }) => {
  const args = (rest as unknown as string[][])[0] ?? [];
  runSilence(what as string, args, flags, io);
  return EXIT.ok;
};
