import { InvalidArgumentError, Option } from 'commander';
import type { CommandAction } from './commands/command.js';
import { LOG_FORMATS } from './core/logger.js';
import { DEFAULT_DELIVERY } from './notify/options.js';
import { failOnOption } from './report/fail-on.js';
import { ALL_MODE_NAMES, MODE_NAMES, type ModeName, modeOptions, STRATEGIES } from './strategies/index.js';
import { locationName, redisOption } from './strategies/queue/options.js';
import { DEFAULT_LOCK_DURATION_MS, DEFAULT_STALLED_INTERVAL_MS } from './strategies/queue/settings.js';
import { checkSchedule } from './util/cron.js';
import { dnsServerOption } from './util/dns-servers.js';
import { formatDays } from './util/duration.js';
import { type ListenAt, parseListen } from './util/listen.js';
import { duration, options, repeated, wholeNumber } from './util/options.js';
import { isTimeZone } from './util/window-time.js';

/**
 * Every command's arguments and options, as data: `--help` and the README's option tables follow these
 * (a test compares them). Declaring them is cheap on purpose: a command's own code, and what it needs
 * (SQLite, BullMQ, nodemailer), is imported only when that command runs (src/cli.ts).
 */
export interface CommandSpec {
  name: string;
  /** One line for `--help`, with the command's exit codes. */
  description: string;
  /** Printed after the options in the command's own `--help`. */
  notes?: string;
  /** Positional arguments: `<required>` or `[optional]`, and what each is. */
  arguments?: ReadonlyArray<readonly [string, string]>;
  /** The options in the order `--help` lists them; made afresh for each program (commander keeps state in them). */
  options(): Option[];
  /** What the command does (src/commands/<name>.ts), loaded once it is the one run. */
  load(): Promise<{ action: CommandAction<never> }>;
}

const DAY = 86_400_000;
/** `watch --schedule`: every five minutes. Here, not beside the scheduler, which loads cron (~30 ms). */
const DEFAULT_SCHEDULE = '*/5 * * * *';
const HOUR = 3_600_000;
const DEFAULT_DB = './uptime-squirrel.db';

/** A `<duration>` option from `min` to `max` ms; `fallback` is its default, shown as it is written. */
function durationOption(
  flags: string,
  help: string,
  [min, max, hint]: readonly [number, number, string],
  fallback?: number,
): Option {
  const name = flags.split(/[\s,]+/).find((f) => f.startsWith('--')) as string;
  const option = new Option(flags, help).argParser(duration(name, min, max, hint));
  return fallback === undefined ? option : option.default(fallback, formatDays(fallback));
}

/** `--mode`, with every mode of the registry and what each does. */
function modeOption(): Option {
  const help = ALL_MODE_NAMES.map((m) => `${m}: ${STRATEGIES[m].description}`).join('; ');
  return new Option('-m, --mode <mode>', `how checks run concurrently (${help})`)
    .choices(ALL_MODE_NAMES)
    .default('async');
}

function modeList(value: string): ModeName[] {
  const modes = value.split(',').map((m) => m.trim());
  const bad = modes.filter((m) => !(ALL_MODE_NAMES as readonly string[]).includes(m));
  if (bad.length > 0 || modes.length === 0) {
    throw new InvalidArgumentError(`--modes takes a comma-separated list of ${ALL_MODE_NAMES.join(', ')}.`);
  }
  return [...new Set(modes)] as ModeName[];
}

function listen(value: string): ListenAt {
  const at = parseListen(value);
  if (typeof at === 'string') throw new InvalidArgumentError(`--listen: ${at}.`);
  return at;
}

function zone(value: string): string {
  if (!isTimeZone(value))
    throw new InvalidArgumentError(
      `--tz: expected an IANA time zone such as Europe/Berlin, found "${value}".`,
    );
  return value;
}

function cron(value: string): string {
  const problem = checkSchedule(value);
  if (problem !== null) throw new InvalidArgumentError(`--schedule: ${problem}.`);
  return value.trim();
}

/**
 * Said in the help of every command that sweeps: what the command line changes, it changes for every
 * site, whatever the config says in its defaults or for the site itself.
 */
const OVERRIDES = [
  'Options given on the command line override the config everywhere they apply:',
  "its defaults and every site's own values alike. --timeout is the time for each",
  'attempt of a check (a retry gets as long again).',
].join('\n');

/** How many checks at once, where, and each check's bounds: every command that sweeps takes these. */
const sweepOptions = () => [options.concurrency(), options.workers(), options.timeout(), options.retries()];
const dbOption = (what: string) => new Option('--db <file>', what).default(DEFAULT_DB);
const SITES: readonly [string, string] = [
  '<sites.json>',
  'site list: a JSON array of URLs or an object with "sites"',
];
const RETENTION = [HOUR, 3650 * DAY, 'such as 90d, 30d or 12h'] as const;
const DELIVERY = 'such as 10s, 5m or 24h';

const check: CommandSpec = {
  name: 'check',
  description:
    'check every site once; exit 0 when all are up (slow or certificate warnings too, unless --fail-on), 1 when any is down or unchecked, 2 on a usage or config error, 3 when Redis (queue mode) is unreachable or no worker is connected, 130/143 when stopped by SIGINT/SIGTERM (what finished is printed)',
  notes: OVERRIDES,
  arguments: [SITES],
  options: () => [
    modeOption(),
    ...sweepOptions(),
    dnsServerOption(),
    options.json(),
    options.noColor(),
    options.quiet(),
    failOnOption(),
    ...modeOptions('check'),
  ],
  load: () => import('./commands/check.js'),
};

const validate: CommandSpec = {
  name: 'validate',
  description: 'check a config file and list what it holds; exit 0 when valid, 2 when not',
  arguments: [['<sites.json>', 'the config file to check']],
  options: () => [],
  load: () => import('./commands/validate.js'),
};

const bench: CommandSpec = {
  name: 'bench',
  description: 'compare the concurrency modes on the same sites, each in a fresh process',
  notes: OVERRIDES,
  arguments: [['[sites.json]', 'the sites to check (or use --simulate)']],
  options: () => [
    new Option('--modes <list>', 'comma-separated modes to compare (queue too, with --redis)')
      .argParser(modeList)
      .default([...MODE_NAMES], MODE_NAMES.join(',')),
    new Option('--repeat <n>', 'runs per mode').argParser(wholeNumber('--repeat', 1, 100)).default(3),
    new Option(
      '--simulate <n>',
      'check a built-in local fixture of N origins on 127.0.0.1 instead of a sites.json',
    ).argParser(wholeNumber('--simulate', 1, 20_000)),
    durationOption(
      '--latency <duration>',
      'with --simulate: how long each origin takes to answer',
      [0, 60_000, 'such as 200, 200ms or 1s'],
      200,
    ),
    new Option('--errors', 'with --simulate: make 10% of the origins fail (500, 404, reset, refused)'),
    new Option(
      '--full',
      'check every site in the serial mode too; without it, a long list is measured on an evenly spaced sample and the times extrapolated',
    ),
    ...sweepOptions(),
    options.json(),
    options.noColor(),
    ...modeOptions('bench'),
  ],
  load: () => import('./commands/bench.js'),
};

const watch: CommandSpec = {
  name: 'watch',
  description:
    'check every site on a schedule, keep state and history in SQLite and raise down/up events; ' +
    'exit 0 on SIGTERM/SIGINT, 2 on a usage or config error, 4 when the database cannot be used',
  notes: OVERRIDES,
  arguments: [[SITES[0], `${SITES[1]} (SIGHUP reloads it)`]],
  options: () => [
    new Option(
      '-s, --schedule <cron>',
      'when to sweep: a cron expression, 5 fields or 6 with seconds first ("*/30 * * * * *"); the first sweep starts at once',
    )
      .default(DEFAULT_SCHEDULE)
      .argParser(cron),
    new Option(
      '--tz <zone>',
      'IANA time zone of --schedule, the maintenance windows and the summary, over the config\'s "timezone" (the system\'s when neither says)',
    ).argParser(zone),
    dbOption('the SQLite database of state and history (created when missing)'),
    modeOption(),
    ...sweepOptions(),
    dnsServerOption(),
    new Option(
      '--once',
      "one cycle (sweep, state, events) then exit: 0 when the cycle completed whatever the sites' states (for system cron)",
    ),
    durationOption(
      '--retention <duration>',
      'history kept: older results, incidents and events are deleted',
      RETENTION,
      90 * DAY,
    ),
    durationOption(
      '--keep-raw <duration>',
      'results kept one by one; older ones are rolled up into hourly figures (at most --retention)',
      RETENTION,
      2 * DAY,
    ),
    new Option('--log-format <format>', 'log lines on stderr: text, or one JSON object per line')
      .choices(LOG_FORMATS)
      .default('text'),
    new Option(
      '--listen <[host:]port>',
      'serve the status page, status.json, /metrics and /healthz on [HOST:]PORT (HOST 127.0.0.1 by default); over the config\'s "server.listen"',
    ).argParser(listen),
    durationOption(
      '--send-timeout <duration>',
      'notifications: time allowed for one send to a channel',
      [1, 10 * 60_000, DELIVERY],
      DEFAULT_DELIVERY.sendTimeoutMs,
    ),
    durationOption(
      '--retry-first <duration>',
      'notifications: wait before retrying a failed send; doubles each time',
      [1, DAY, DELIVERY],
      DEFAULT_DELIVERY.retryFirstMs,
    ),
    durationOption(
      '--retry-max <duration>',
      'notifications: longest wait between retries',
      [1, DAY, DELIVERY],
      DEFAULT_DELIVERY.retryMaxMs,
    ),
    durationOption(
      '--notify-expire <duration>',
      'notifications: give up (and log it) on a message not delivered in this time',
      [1000, 30 * DAY, DELIVERY],
      DEFAULT_DELIVERY.expireAfterMs,
    ),
    ...modeOptions('watch'),
  ],
  load: () => import('./commands/watch.js'),
};

const report: CommandSpec = {
  name: 'report',
  description:
    'uptime, checks, p50/p95 response time, state and incidents per site from the watch database; ' +
    'exit 0, 2 on a usage error, 4 when the database cannot be read',
  options: () => [
    dbOption('the database `watch` writes (opened read-only; works beside a running daemon)'),
    durationOption(
      '--since <duration>',
      'the window, back from now: 24h, 7d, 30d, ...',
      [60_000, 3650 * DAY, 'back from now such as 24h, 7d or 30d'],
      DAY,
    ),
    options.json(),
    options.noColor(),
    new Option(
      '--html <dir>',
      'write the status page, status.json and badges into DIR (each file replaced atomically) instead of printing',
    ),
    new Option(
      '--config <file>',
      'with --html: the config whose title, groups and public sites the page shows',
    ),
  ],
  load: () => import('./commands/report.js'),
};

const silence: CommandSpec = {
  name: 'silence',
  description:
    'silence sites for a while (checked and recorded as always, no notification sent), list or remove silences; ' +
    'works beside a running watch, which reads them at its next sweep. Exit 0, 2 on a usage error, 4 when the database cannot be used',
  notes: [
    'Actions:',
    '  add <site...> | --all   --for 2h | --until TIME   [--reason TEXT]',
    '  list                    [--json]',
    '  rm <id>',
    'Sites are named by name or URL as the config writes them. When a silence ends, a site still down',
    'whose down was never sent gets it then, once.',
  ].join('\n'),
  arguments: [
    ['<action>', 'add, list or rm'],
    ['[args...]', 'add: the sites to silence; rm: the id of the silence'],
  ],
  options: () => [
    new Option('--all', 'add: silence every site'),
    durationOption('--for <duration>', 'add: how long the silence lasts', [
      60_000,
      365 * DAY,
      'such as 30m, 2h or 1d',
    ]),
    new Option(
      '--until <time>',
      'add: when the silence ends instead, an ISO-8601 time such as 2026-12-25T08:00:00Z',
    ),
    new Option('--reason <text>', 'add: why, shown by list, report and the status page'),
    dbOption('the database `watch` writes'),
    options.json(),
  ],
  load: () => import('./commands/silence.js'),
};

const worker: CommandSpec = {
  name: 'worker',
  description:
    'take batches of checks from a Redis queue and store their results (for --mode queue); start as many as you like, on any machine. Exits 0 after SIGINT/SIGTERM, 3 when Redis is unreachable',
  options: () => [
    redisOption('the Redis server the coordinators (check/watch --mode queue) use'),
    options.concurrency('checks in flight at once in this worker'),
    durationOption(
      '--lock-duration <duration>',
      "how long a batch stays locked to this worker without a renewal (renewed at half of it); a killed worker's batch is taken over after at most this plus twice --stalled-interval",
      [500, 600_000, 'such as 15s'],
      DEFAULT_LOCK_DURATION_MS,
    ),
    durationOption(
      '--stalled-interval <duration>',
      'how often this worker looks for batches whose worker died',
      [200, 600_000, 'such as 5s'],
      DEFAULT_STALLED_INTERVAL_MS,
    ),
    new Option('--name <name>', "this worker's name in logs and on the jobs it takes (default host:pid)"),
    new Option(
      '--location <name>',
      'the location this worker checks from (such as eu-west): it takes only the checks of that location of a sweep with --locations; without it, the checks of sweeps without locations',
    ).argParser((value: string) => locationName(value)),
  ],
  load: () => import('./commands/worker.js'),
};

const notifyTest: CommandSpec = {
  name: 'notify-test',
  description:
    'send a test message through each notification channel and say what each server answered; ' +
    'exit 0 when all delivered, 1 when any failed, 2 on a usage or config error',
  arguments: [['<sites.json>', 'the config file with "channels"']],
  options: () => [
    new Option('--channel <name>', 'only this channel (repeat for more; default: every channel)').argParser(
      repeated,
    ),
    durationOption(
      '-t, --timeout <duration>',
      'time allowed for each send',
      [1, 600_000, 'such as 10s'],
      DEFAULT_DELIVERY.sendTimeoutMs,
    ),
  ],
  load: () => import('./commands/notify-test.js'),
};

/** Every command, in the order `--help` lists them. Adding a command is one spec here and one file. */
export const COMMANDS: readonly CommandSpec[] = [
  check,
  validate,
  bench,
  watch,
  report,
  silence,
  worker,
  notifyTest,
];
