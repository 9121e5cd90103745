import { InvalidArgumentError, Option } from 'commander';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import { renderUptimeJson } from '../report/report-json.js';
import { renderUptimeTable } from '../report/report-table.js';
import { History } from '../store/history.js';
import { buildUptime } from '../store/uptime-report.js';
import { parseDuration } from '../util/duration.js';
import { options } from '../util/options.js';
import type { RegisterCommand } from './command.js';
import { chalkFor } from './shared.js';
import { watchOptions } from './watch.js';

export interface ReportFlags {
  db: string;
  since: number;
  json?: boolean;
  color: boolean;
}

const DAY = 86_400_000;

function sinceArg(value: string): number {
  const ms = parseDuration(value);
  if (ms === null || ms < 60_000 || ms > 3650 * DAY) {
    throw new InvalidArgumentError(
      '--since must be a duration back from now such as 24h, 7d or 30d (1m to 3650d).',
    );
  }
  return ms;
}

/** Reads the database (read-only, beside a running daemon) and prints the report. */
export function runReport(flags: ReportFlags, io: CliIO, now = Date.now()): void {
  const history = History.open(flags.db);
  try {
    const view = buildUptime(history, now - flags.since, now);
    if (flags.json) {
      io.stdout.write(renderUptimeJson(view.report));
      return;
    }
    const chalk = chalkFor(io, flags.color);
    io.stdout.write(
      renderUptimeTable(view, { chalk, columns: io.stdout.columns, source: `database ${flags.db}` }),
    );
  } finally {
    history.close();
  }
}

export const registerReport: RegisterCommand = (program, { io, setExitCode }) => {
  program
    .command('report')
    .description(
      'uptime, checks, p50/p95 response time, state and incidents per site from the watch database; ' +
        'exit 0, 2 on a usage error, 3 when the database cannot be read',
    )
    .addOption(
      watchOptions.db('the database `watch` writes (opened read-only; works beside a running daemon)'),
    )
    .addOption(
      new Option('--since <duration>', 'the window, back from now: 24h, 7d, 30d, ...')
        .default(DAY, '24h')
        .argParser(sinceArg),
    )
    .addOption(options.json())
    .addOption(options.noColor())
    .action((flags: ReportFlags) => {
      runReport(flags, io);
      setExitCode(EXIT.ok);
    });
};
