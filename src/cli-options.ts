import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CommandAction } from './commands/command.js';
import { LOG_FORMATS } from './core/logger.js';
import { DEFAULT_DELIVERY } from './notify/options.js';
import {
  ALL_MODE_NAMES,
  MODE_NAMES,
  type ModeName,
  modeOptions,
  STRATEGIES,
  type SweepCommand,
} from './strategies/index.js';
import { redisOption } from './strategies/queue/options.js';
import { DEFAULT_LOCK_DURATION_MS, DEFAULT_STALLED_INTERVAL_MS } from './strategies/queue/settings.js';
import { checkSchedule } from './util/cron.js';
import { formatDays, formatDuration } from './util/duration.js';
import { duration, options, repeated, wholeNumber } from './util/options.js';
import { DEFAULT_SCHEDULE } from './watch/scheduler.js';

/**
 * Every command's arguments and options, declared once: `--help` and the README's option tables follow
 * these (a test compares them). Declaring them is cheap on purpose: a command's own code, and what it
 * needs (SQLite, BullMQ, nodemailer), is loaded only when that command runs.
 */
export interface CommandSpec {
  /** Adds the command to the program, with its description, arguments and options. */
  define(program: Command): Command;
  /** What the command does (src/commands/<name>.ts), loaded once it is the one run. */
  load(): Promise<{ action: CommandAction<never> }>;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const DEFAULT_DB = './uptime-squirrel.db';
const DEFAULT_RETENTION_MS = 90 * DAY;
const DEFAULT_KEEP_RAW_MS = 2 * DAY;

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

const dbOption = (what: string) => new Option('--db <file>', what).default(DEFAULT_DB);

const check: CommandSpec = {
  define: (program) =>
    program
      .command('check')
      .description(
        'check every site once; exit 0 when all are up, 1 when any is down or unchecked, 2 on a usage or config error, 3 when Redis (queue mode) is unreachable',
      )
      .argument('<sites.json>', 'site list: a JSON array of URLs or an object with "sites"')
      .addOption(modeOption())
      .addOption(options.concurrency())
      .addOption(options.workers())
      .addOption(options.timeout())
      .addOption(options.retries())
      .addOption(options.json())
      .addOption(options.noColor())
      .addOption(options.quiet()),
  load: () => import('./commands/check.js'),
};

const validate: CommandSpec = {
  define: (program) =>
    program
      .command('validate')
      .description('check a config file and list what it holds; exit 0 when valid, 2 when not')
      .argument('<sites.json>', 'the config file to check'),
  load: () => import('./commands/validate.js'),
};

const bench: CommandSpec = {
  define: (program) =>
    program
      .command('bench')
      .description('compare the concurrency modes on the same sites, each in a fresh process')
      .argument('[sites.json]', 'the sites to check (or use --simulate)')
      .addOption(
        new Option('--modes <list>', 'comma-separated modes to compare (queue too, with --redis)')
          .argParser(modeList)
          .default([...MODE_NAMES], MODE_NAMES.join(',')),
      )
      .addOption(
        new Option('--repeat <n>', 'runs per mode').argParser(wholeNumber('--repeat', 1, 100)).default(3),
      )
      .addOption(
        new Option(
          '--simulate <n>',
          'check a built-in local fixture of N origins on 127.0.0.1 instead of a sites.json',
        ).argParser(wholeNumber('--simulate', 1, 20_000)),
      )
      .addOption(
        new Option('--latency <duration>', 'with --simulate: how long each origin takes to answer')
          .argParser(duration('--latency', 0, 60_000, 'such as 200, 200ms or 1s'))
          .default(200, '200ms'),
      )
      .addOption(
        new Option('--errors', 'with --simulate: make 10% of the origins fail (500, 404, reset, refused)'),
      )
      .addOption(options.concurrency())
      .addOption(options.workers())
      .addOption(options.timeout())
      .addOption(options.retries())
      .addOption(options.json())
      .addOption(options.noColor()),
  load: () => import('./commands/bench.js'),
};

const retention = (name: string) => duration(name, HOUR, 3650 * DAY, 'such as 90d, 30d or 12h');

const watch: CommandSpec = {
  define: (program) =>
    program
      .command('watch')
      .description(
        'check every site on a schedule, keep state and history in SQLite and raise down/up events; ' +
          'exit 0 on SIGTERM/SIGINT, 2 on a usage or config error, 4 when the database cannot be used',
      )
      .argument(
        '<sites.json>',
        'site list: a JSON array of URLs or an object with "sites" (SIGHUP reloads it)',
      )
      .addOption(
        new Option(
          '-s, --schedule <cron>',
          'when to sweep: a cron expression, 5 fields or 6 with seconds first ("*/30 * * * * *"); the first sweep starts at once',
        )
          .default(DEFAULT_SCHEDULE)
          .argParser((value: string) => {
            const problem = checkSchedule(value);
            if (problem !== null) throw new InvalidArgumentError(`--schedule: ${problem}.`);
            return value.trim();
          }),
      )
      .addOption(dbOption('the SQLite database of state and history (created when missing)'))
      .addOption(modeOption())
      .addOption(options.concurrency())
      .addOption(options.workers())
      .addOption(options.timeout())
      .addOption(options.retries())
      .addOption(
        new Option(
          '--once',
          "one cycle (sweep, state, events) then exit: 0 when the cycle completed whatever the sites' states (for system cron)",
        ),
      )
      .addOption(
        new Option('--retention <duration>', 'history kept: older results, incidents and events are deleted')
          .default(DEFAULT_RETENTION_MS, formatDays(DEFAULT_RETENTION_MS))
          .argParser(retention('--retention')),
      )
      .addOption(
        new Option(
          '--keep-raw <duration>',
          'results kept one by one; older ones are rolled up into hourly figures (at most --retention)',
        )
          .default(DEFAULT_KEEP_RAW_MS, formatDays(DEFAULT_KEEP_RAW_MS))
          .argParser(retention('--keep-raw')),
      )
      .addOption(
        new Option('--log-format <format>', 'log lines on stderr: text, or one JSON object per line')
          .choices(LOG_FORMATS)
          .default('text'),
      )
      .addOption(
        delivery('--send-timeout', 'time allowed for one send to a channel', 'sendTimeoutMs', 1, 10 * 60_000),
      )
      .addOption(
        delivery(
          '--retry-first',
          'wait before retrying a failed send; doubles each time',
          'retryFirstMs',
          1,
          DAY,
        ),
      )
      .addOption(delivery('--retry-max', 'longest wait between retries', 'retryMaxMs', 1, DAY))
      .addOption(
        delivery(
          '--notify-expire',
          'give up (and log it) on a message not delivered in this time',
          'expireAfterMs',
          1000,
          30 * DAY,
        ),
      ),
  load: () => import('./commands/watch.js'),
};

/** A notification delivery option of `watch`, defaulting to DEFAULT_DELIVERY. */
function delivery(
  flag: string,
  what: string,
  key: keyof typeof DEFAULT_DELIVERY,
  min: number,
  max: number,
): Option {
  const ms = DEFAULT_DELIVERY[key];
  return new Option(`${flag} <duration>`, `notifications: ${what}`)
    .default(ms, formatDuration(ms))
    .argParser(duration(flag, min, max, 'such as 10s, 5m or 24h'));
}

const report: CommandSpec = {
  define: (program) =>
    program
      .command('report')
      .description(
        'uptime, checks, p50/p95 response time, state and incidents per site from the watch database; ' +
          'exit 0, 2 on a usage error, 4 when the database cannot be read',
      )
      .addOption(dbOption('the database `watch` writes (opened read-only; works beside a running daemon)'))
      .addOption(
        new Option('--since <duration>', 'the window, back from now: 24h, 7d, 30d, ...')
          .default(DAY, '24h')
          .argParser(duration('--since', 60_000, 3650 * DAY, 'back from now such as 24h, 7d or 30d')),
      )
      .addOption(options.json())
      .addOption(options.noColor()),
  load: () => import('./commands/report.js'),
};

const worker: CommandSpec = {
  define: (program) =>
    program
      .command('worker')
      .description(
        'take batches of checks from a Redis queue and store their results (for --mode queue); start as many as you like, on any machine. Exits 0 after SIGINT/SIGTERM, 3 when Redis is unreachable',
      )
      .addOption(redisOption('the Redis server the coordinators (check/watch --mode queue) use'))
      .addOption(options.concurrency('checks in flight at once in this worker'))
      .addOption(
        new Option(
          '--lock-duration <duration>',
          "how long a batch stays locked to this worker without a renewal (renewed at half of it); a killed worker's batch is taken over after at most this plus twice --stalled-interval",
        )
          .argParser(duration('--lock-duration', 500, 600_000, 'such as 15s'))
          .default(DEFAULT_LOCK_DURATION_MS, formatDuration(DEFAULT_LOCK_DURATION_MS)),
      )
      .addOption(
        new Option(
          '--stalled-interval <duration>',
          'how often this worker looks for batches whose worker died',
        )
          .argParser(duration('--stalled-interval', 200, 600_000, 'such as 5s'))
          .default(DEFAULT_STALLED_INTERVAL_MS, formatDuration(DEFAULT_STALLED_INTERVAL_MS)),
      )
      .addOption(
        new Option('--name <name>', "this worker's name in logs and on the jobs it takes (default host:pid)"),
      ),
  load: () => import('./commands/worker.js'),
};

const notifyTest: CommandSpec = {
  define: (program) =>
    program
      .command('notify-test')
      .description(
        'send a test message through each notification channel and say what each server answered; ' +
          'exit 0 when all delivered, 1 when any failed, 2 on a usage or config error',
      )
      .argument('<sites.json>', 'the config file with "channels"')
      .addOption(
        new Option(
          '--channel <name>',
          'only this channel (repeat for more; default: every channel)',
        ).argParser(repeated),
      )
      .addOption(
        new Option('-t, --timeout <duration>', 'time allowed for each send')
          .default(DEFAULT_DELIVERY.sendTimeoutMs, formatDuration(DEFAULT_DELIVERY.sendTimeoutMs))
          .argParser(duration('--timeout', 1, 600_000, 'such as 10s')),
      ),
  load: () => import('./commands/notify-test.js'),
};

/** The sweeping commands also take every mode's own options (queue: --redis, --deadline). */
function withModeOptions(spec: CommandSpec, command: SweepCommand): CommandSpec {
  return {
    define: (program) => {
      const cmd = spec.define(program);
      for (const option of modeOptions(command)) cmd.addOption(option);
      return cmd;
    },
    load: spec.load,
  };
}

/** Every command, in the order `--help` lists them. Adding a command is one spec here and one file. */
export const COMMANDS: readonly CommandSpec[] = [
  withModeOptions(check, 'check'),
  validate,
  withModeOptions(bench, 'bench'),
  withModeOptions(watch, 'watch'),
  report,
  worker,
  notifyTest,
];
