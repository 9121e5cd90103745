import { Chalk } from 'chalk';
import { Option } from 'commander';
import { options } from '../cli-options.js';
import { loadConfig } from '../config/load.js';
import type { CheckOptions } from '../config/types.js';
import { EXIT } from '../exit-codes.js';
import { renderJson } from '../report/json.js';
import { createProgress } from '../report/progress.js';
import { buildReport, type SweepReport } from '../report/sweep-report.js';
import { renderTable } from '../report/table.js';
import { MODE_NAMES, type ModeName, STRATEGIES } from '../strategies/index.js';
import { USER_AGENT, VERSION } from '../version.js';
import type { RegisterCommand } from './command.js';
import type { CliIO } from './io.js';

export interface CheckFlags {
  mode: ModeName;
  concurrency?: number;
  workers?: number;
  timeout?: number;
  retries?: number;
  json?: boolean;
  color: boolean;
  quiet?: boolean;
}

export const DEFAULT_CONCURRENCY = 64;

/** Load, sweep, print. Returns the report; the caller turns it into an exit code. */
export async function runCheck(file: string, flags: CheckFlags, io: CliIO): Promise<SweepReport> {
  const overrides: Partial<CheckOptions> = {};
  if (flags.timeout !== undefined) overrides.timeoutMs = flags.timeout;
  if (flags.retries !== undefined) overrides.retries = flags.retries;
  const config = await loadConfig(file, io.env, overrides);

  const progress = createProgress(io.stderr, config.sites.length, true);
  const startedAt = new Date();
  const results = await STRATEGIES[flags.mode].run(config.sites, {
    concurrency: flags.concurrency ?? DEFAULT_CONCURRENCY,
    workers: flags.workers,
    userAgent: USER_AGENT,
    secrets: config.secrets,
    signal: io.signal,
    onResult: (r) => progress.tick(r.ok),
  });
  progress.done();
  const report = buildReport(VERSION, flags.mode, startedAt, new Date(), results);

  if (flags.json) {
    io.stdout.write(renderJson(report));
  } else {
    const colour =
      flags.color && !io.env.NO_COLOR && (io.stdout.isTTY === true || Boolean(io.env.FORCE_COLOR));
    const chalk = new Chalk({ level: colour ? 1 : 0 });
    io.stdout.write(renderTable(report, { chalk, quiet: flags.quiet === true, columns: io.stdout.columns }));
  }
  return report;
}

export function modeOption(): Option {
  const help = MODE_NAMES.map((m) => `${m}: ${STRATEGIES[m].description}`).join('; ');
  return new Option('-m, --mode <mode>', `how checks run concurrently (${help})`)
    .choices(MODE_NAMES)
    .default('async');
}

export const registerCheck: RegisterCommand = (program, { io, setExitCode }) => {
  program
    .command('check')
    .description(
      'check every site once; exit 0 when all are up, 1 when any is down, 2 on a usage or config error',
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
    .action(async (file: string, flags: CheckFlags) => {
      const report = await runCheck(file, flags, io);
      setExitCode(report.summary.down > 0 ? EXIT.down : EXIT.ok);
    });
};
