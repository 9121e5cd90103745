import { InvalidArgumentError, Option } from 'commander';
import { parseDuration } from './util/duration.js';

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

export const options = {
  concurrency: () =>
    new Option('-c, --concurrency <n>', 'checks in flight at once, in total (default 64)').argParser(
      integer('--concurrency', 1, 10_000),
    ),
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
};
