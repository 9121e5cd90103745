import { InvalidArgumentError, Option } from 'commander';
import type { Config } from '../../config/types.js';
import { UsageError } from '../../core/errors.js';
import { LOCATION_NAME, LOCATION_NAME_RULE } from '../../core/locations.js';
import { formatDuration } from '../../util/duration.js';
import { duration, wholeNumber } from '../../util/options.js';
import { redactUrl } from '../../util/redact.js';
import type { ModeSettings, ModeSetup, SweepCommand } from '../types.js';
import { DEFAULT_DEADLINE_MS, DEFAULT_WAIT_FOR_WORKERS_MS } from './settings.js';

/**
 * Queue mode's own options and their checks. Loaded at start by every command that sweeps (to declare
 * the options), so it imports nothing of BullMQ or ioredis.
 */

export const REDIS_URL_ENV = 'UPTIME_SQUIRREL_REDIS_URL';

/**
 * A redis:// or rediss:// URL. A UsageError, not commander's InvalidArgumentError: commander quotes the
 * rejected value in its message, and this one may hold a password.
 */
export function redisUrl(value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value.trim());
  } catch {
    // Reported below.
  }
  if (url === null || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    throw new UsageError(
      `--redis must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379 or rediss://user:password@host:6380/0 (got ${redactUrl(value)}).`,
    );
  }
  return value.trim();
}

/** `--redis`, for the coordinators and for `worker`; `what` says whose Redis it is. */
export function redisOption(what: string): Option {
  return (
    new Option(
      '--redis <url>',
      `${what}: redis://[user:password@]host:6379[/db], rediss:// for TLS; the environment variable keeps a password out of the process list`,
    )
      // Checked where queue mode is chosen: a stale variable must not break the other modes.
      .env(REDIS_URL_ENV)
  );
}

const REDIS_HELP: Record<SweepCommand, string> = {
  check: 'queue mode: the Redis server the workers take batches from',
  watch: 'queue mode: the Redis server the workers take batches from',
  bench: 'with --modes queue: the Redis server the running workers use',
};

/** Without --deadline: `check` and `bench` wait this long; `watch` waits until its next sweep. */
const DEADLINE_DEFAULT_HELP: Record<SweepCommand, string> = {
  check: formatDuration(DEFAULT_DEADLINE_MS),
  watch: 'the schedule interval',
  bench: formatDuration(DEFAULT_DEADLINE_MS),
};

/** A location name, as `worker --location` and `--locations` take it. */
export function locationName(value: string, flag = '--location'): string {
  const name = value.trim();
  if (!LOCATION_NAME.test(name))
    throw new InvalidArgumentError(`${flag}: "${name}" is not a location name: ${LOCATION_NAME_RULE}.`);
  return name;
}

function locationList(value: string): string[] {
  const names = value.split(',').map((n) => locationName(n, '--locations'));
  if (new Set(names).size !== names.length)
    throw new InvalidArgumentError('--locations: a location is listed twice.');
  return names;
}

/** Check and watch only: bench measures one queue. */
function locationOptions(command: SweepCommand): Option[] {
  if (command === 'bench') return [];
  return [
    new Option(
      '--locations <list>',
      'queue mode: check every site once from each of these locations (comma-separated, each served by `worker --location NAME`), over the config\'s "locations" (default: the config\'s)',
    ).argParser(locationList),
    new Option(
      '--quorum <n>',
      "queue mode with locations: a site is down when at least this many locations see it down, and unchecked when fewer than this many answer (default: the config's, else a majority)",
    ).argParser(wholeNumber('--quorum', 1, 100)),
  ];
}

export function queueOptions(command: SweepCommand): Option[] {
  return [
    redisOption(REDIS_HELP[command]),
    new Option(
      '--deadline <duration>',
      `queue mode: sites without a result this long after the sweep started are reported unchecked (default ${DEADLINE_DEFAULT_HELP[command]})`,
    ).argParser(duration('--deadline', 1000, 24 * 3_600_000)),
    new Option(
      '--wait-for-workers <duration>',
      `queue mode: with no worker connected, wait this long for one before giving up (exit 3), for workers that start after the sweep (default ${formatDuration(DEFAULT_WAIT_FOR_WORKERS_MS)})`,
    ).argParser(duration('--wait-for-workers', 0, 24 * 3_600_000)),
    ...locationOptions(command),
  ];
}

const NEEDS_REDIS: Record<SweepCommand, string> = {
  check: '--mode queue needs --redis URL (or UPTIME_SQUIRREL_REDIS_URL): the Redis server the workers use.',
  watch: '--mode queue needs --redis URL (or UPTIME_SQUIRREL_REDIS_URL): the Redis server the workers use.',
  bench:
    'bench --modes queue needs --redis URL, and `uptime-squirrel worker --redis URL` processes running (on this machine with --simulate: its origins are on 127.0.0.1).',
};

/**
 * The Redis URL must be there and well-formed; the deadline defaults to the command's interval. The wait
 * for workers is part of the sweep, so it must end before the deadline does.
 */
export function configureQueue({ command, flags, intervalMs }: ModeSetup): ModeSettings {
  const url = flags.redis;
  if (typeof url !== 'string' || url.trim() === '') throw new UsageError(NEEDS_REDIS[command]);
  const deadlineMs = typeof flags.deadline === 'number' ? flags.deadline : intervalMs;
  const waitForWorkersMs = typeof flags.waitForWorkers === 'number' ? flags.waitForWorkers : undefined;
  const bound = deadlineMs ?? DEFAULT_DEADLINE_MS;
  if (waitForWorkersMs !== undefined && waitForWorkersMs >= bound) {
    throw new UsageError(
      `--wait-for-workers (${formatDuration(waitForWorkersMs)}) must be shorter than the sweep's deadline (${formatDuration(bound)}): the wait counts toward it; give a longer --deadline.`,
    );
  }
  const locations = Array.isArray(flags.locations) ? (flags.locations as string[]) : undefined;
  const quorum = typeof flags.quorum === 'number' ? flags.quorum : undefined;
  if (quorum !== undefined && locations !== undefined && quorum > locations.length) {
    throw new UsageError(
      `--quorum ${quorum} is more than the ${locations.length} location(s) of --locations: no site could ever be down or up.`,
    );
  }
  const settings: ModeSettings = { redisUrl: redisUrl(url), deadlineMs, waitForWorkersMs };
  // Only when given: without them the config's "locations" and "quorum" apply (withConfigLocations).
  if (locations !== undefined) settings.locations = locations;
  if (quorum !== undefined) settings.quorum = quorum;
  return settings;
}

/**
 * The locations and quorum of a sweep: the command line's, else the config's. A config quorum larger
 * than the --locations given is left for the default (a majority of them).
 * @throws UsageError for a --quorum without any locations, or larger than their number
 */
export function locationSettings(
  config: Pick<Config, 'locations' | 'quorum'>,
  settings: Pick<ModeSettings, 'locations' | 'quorum'>,
): Pick<ModeSettings, 'locations' | 'quorum'> {
  const locations = settings.locations ?? config.locations ?? undefined;
  if (locations === undefined) {
    if (settings.quorum !== undefined)
      throw new UsageError('--quorum needs locations: give --locations, or "locations" in the config.');
    return {};
  }
  if (settings.quorum !== undefined && settings.quorum > locations.length) {
    throw new UsageError(
      `--quorum ${settings.quorum} is more than the ${locations.length} location(s) (${locations.join(', ')}): no site could ever be down or up.`,
    );
  }
  const fromConfig = config.quorum !== null && config.quorum <= locations.length ? config.quorum : undefined;
  const quorum = settings.quorum ?? fromConfig;
  return quorum === undefined ? { locations } : { locations, quorum };
}
