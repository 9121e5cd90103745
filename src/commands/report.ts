import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import { renderUptimeJson } from '../report/report-json.js';
import { renderUptimeTable } from '../report/report-table.js';
import { History } from '../store/history.js';
import { buildUptime } from '../store/uptime-report.js';
import type { CommandAction } from './command.js';
import { chalkFor } from './shared.js';

export interface ReportFlags {
  db: string;
  since: number;
  json?: boolean;
  color: boolean;
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

export const action: CommandAction<ReportFlags> = async (_args, flags, { io }) => {
  runReport(flags, io);
  return EXIT.ok;
};
