import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_OPTIONS } from '../core/site.js';
import { bareMsHint, formatDays, formatDuration, parseDuration } from './duration.js';

/**
 * The parsers of option values, one of each kind for every command, and the options several commands
 * share (declared once: help text and the README's tables follow these). A parser throws commander's
 * InvalidArgumentError, which commander prints after the option and its value (exit 2).
 */

/** A whole number from `min` to `max`. */
export function wholeNumber(name: string, min: number, max: number): (value: string) => number {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}

/**
 * A duration from `min` to `max` ms, in milliseconds or with a unit (parseDuration). `hint` says what
 * is meant, with examples: "--since must be a duration back from now such as 24h, 7d or 30d (1m to 3650d)."
 * A bare number under BARE_MS_MIN that the range would let through (`--timeout 5`) is refused with a hint
 * instead of silently meaning 5 ms; `5ms` means it.
 */
export function duration(
  name: string,
  min: number,
  max: number,
  hint = 'such as 500ms, 10s or 2m',
): (value: string) => number {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === null || ms < min || ms > max) {
      throw new InvalidArgumentError(
        `${name} must be a duration ${hint} (${formatDays(min)} to ${formatDays(max)}).`,
      );
    }
    const bare = bareMsHint(value);
    if (bare !== null) throw new InvalidArgumentError(`${name}: ${bare}.`);
    return ms;
  };
}

/** A repeatable option: `--channel a --channel b` gives ['a', 'b']. */
export function repeated(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Checks in flight at once when --concurrency is not given (check, watch, bench, worker). */
export const DEFAULT_CONCURRENCY = 64;

export const options = {
  concurrency: (what = 'checks in flight at once, in total') =>
    new Option('-c, --concurrency <n>', `${what} (default ${DEFAULT_CONCURRENCY})`).argParser(
      wholeNumber('--concurrency', 1, 10_000),
    ),
  timeout: () =>
    new Option(
      '-t, --timeout <duration>',
      `time allowed for each attempt of a check (a retry gets as long again): 10000, 10s, 500ms; overrides the config's defaults and every site's own timeoutMs (default: the config's, else ${formatDuration(DEFAULT_OPTIONS.timeoutMs)})`,
    ).argParser(duration('--timeout', 1, 600_000)),
  retries: () =>
    new Option(
      '-r, --retries <n>',
      `extra attempts after a network failure, a timeout or a 5xx; overrides the config's defaults and every site's own retries (default: the config's, else ${DEFAULT_OPTIONS.retries})`,
    ).argParser(wholeNumber('--retries', 0, 10)),
  workers: () =>
    new Option(
      '-w, --workers <n>',
      'worker threads or processes in the threads and processes modes (default: available cores)',
    ).argParser(wholeNumber('--workers', 1, 256)),
  json: () => new Option('--json', 'print one JSON document on stdout instead of the table'),
  noColor: () =>
    new Option('--no-color', 'no colours (also with NO_COLOR set, or when stdout is not a terminal)'),
  quiet: () => new Option('-q, --quiet', 'print only the down sites and the summary'),
};
