import { InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { parseDuration } from './duration.js';
import { redactUrl } from './redact.js';

/** Options declared once, reused by every command that takes them (help text and README follow these). */

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}

function duration(name: string, min: number, max: number) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === null || ms < min || ms > max) {
      throw new InvalidArgumentError(
        `${name} must be a duration from ${min} ms to ${max / 1000} s, in milliseconds or with a unit (500ms, 10s, 2m).`,
      );
    }
    return ms;
  };
}

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

export const options = {
  concurrency: (what = 'checks in flight at once, in total (default 64)') =>
    new Option('-c, --concurrency <n>', what).argParser(integer('--concurrency', 1, 10_000)),
  timeout: () =>
    new Option(
      '-t, --timeout <duration>',
      'time allowed for each check, retries included: 10000, 10s, 500ms (overrides the config defaults)',
    ).argParser(duration('--timeout', 1, 600_000)),
  retries: () =>
    new Option(
      '-r, --retries <n>',
      'extra attempts after a network failure or 5xx (overrides the config defaults)',
    ).argParser(integer('--retries', 0, 10)),
  workers: () =>
    new Option(
      '-w, --workers <n>',
      'worker threads or processes in the threads and processes modes (default: available cores)',
    ).argParser(integer('--workers', 1, 256)),
  json: () => new Option('--json', 'print one JSON document on stdout instead of the table'),
  noColor: () =>
    new Option('--no-color', 'no colours (also with NO_COLOR set, or when stdout is not a terminal)'),
  quiet: () => new Option('-q, --quiet', 'print only the down sites and the summary'),
  redis: (what = 'queue mode: the Redis server the workers take batches from') =>
    new Option(
      '--redis <url>',
      `${what}: redis://[user:password@]host:6379[/db], rediss:// for TLS; the environment variable keeps a password out of the process list`,
    )
      // Checked where queue mode is chosen: a stale variable must not break the other modes.
      .env('UPTIME_SQUIRREL_REDIS_URL'),
  deadline: (defaultHelp = '5m') =>
    new Option(
      '--deadline <duration>',
      `queue mode: sites without a result this long after the sweep started are reported unchecked (default ${defaultHelp})`,
    ).argParser(duration('--deadline', 1000, 24 * 3_600_000)),
};
