import { type Command, Option } from 'commander';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import { USER_AGENT, VERSION } from '../core/version.js';
import { renderJson } from '../report/json.js';
import { createProgress } from '../report/progress.js';
import { buildReport, type SweepReport } from '../report/sweep-report.js';
import { renderTable } from '../report/table.js';
import { ALL_MODE_NAMES, type ModeName, STRATEGIES } from '../strategies/index.js';
import { options, redisUrl } from '../util/options.js';
import type { RegisterCommand } from './command.js';
import { chalkFor, checkOverrides, type SweepFlags } from './shared.js';

export interface CheckFlags extends SweepFlags {
  mode: ModeName;
  quiet?: boolean;
}

export const DEFAULT_CONCURRENCY = 64;

/** Load, sweep, print. Returns the report; the caller turns it into an exit code. */
export async function runCheck(file: string, flags: CheckFlags, io: CliIO): Promise<SweepReport> {
  const config = await loadConfig(file, io.env, checkOverrides(flags));

  const progress = createProgress(io.stderr, config.sites.length, true);
  const startedAt = new Date();
  const results = await STRATEGIES[flags.mode].run(config.sites, {
    concurrency: flags.concurrency ?? DEFAULT_CONCURRENCY,
    workers: flags.workers,
    userAgent: USER_AGENT,
    secrets: config.secrets,
    signal: io.signal,
    onResult: (r) => progress.tick(r.ok),
    redisUrl: flags.redis,
    deadlineMs: flags.deadline,
  });
  progress.done();
  const report = buildReport(VERSION, flags.mode, startedAt, new Date(), results, {
    countUnchecked: STRATEGIES[flags.mode].leavesUnchecked === true,
  });

  if (flags.json) {
    io.stdout.write(renderJson(report));
  } else {
    const chalk = chalkFor(io, flags.color);
    io.stdout.write(renderTable(report, { chalk, quiet: flags.quiet === true, columns: io.stdout.columns }));
  }
  return report;
}

export function modeOption(): Option {
  const help = ALL_MODE_NAMES.map((m) => `${m}: ${STRATEGIES[m].description}`).join('; ');
  return new Option('-m, --mode <mode>', `how checks run concurrently (${help})`)
    .choices(ALL_MODE_NAMES)
    .default('async');
}

/**
 * --redis and --deadline on the command line mean queue mode; with another mode they would do nothing.
 * In queue mode the Redis URL (option or UPTIME_SQUIRREL_REDIS_URL) must be well-formed.
 */
export function requireQueueMode(mode: ModeName, command: Command): void {
  if (mode === 'queue') {
    const url = command.getOptionValue('redis') as string | undefined;
    if (url === undefined || url.trim() === '') {
      throw new UsageError(
        '--mode queue needs --redis URL (or UPTIME_SQUIRREL_REDIS_URL): the Redis server the workers use.',
      );
    }
    command.setOptionValue('redis', redisUrl(url));
    return;
  }
  for (const name of ['redis', 'deadline']) {
    if (command.getOptionValueSource(name) === 'cli')
      throw new UsageError(`--${name} applies to --mode queue only (the mode is ${mode}).`);
  }
}

export const registerCheck: RegisterCommand = (program, { io, setExitCode }) => {
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
    .addOption(options.quiet())
    .addOption(options.redis())
    .addOption(options.deadline())
    .action(async (file: string, flags: CheckFlags, command: Command) => {
      requireQueueMode(flags.mode, command);
      const report = await runCheck(file, flags, io);
      const { down, unchecked = 0 } = report.summary;
      setExitCode(down > 0 || unchecked > 0 ? EXIT.down : EXIT.ok);
    });
};
