import { loadConfig } from '../config/load.js';
import { UsageError } from '../core/errors.js';
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
  /** Write the status page, status.json and badges into this folder instead of printing. */
  html?: string;
  /** With --html: the config of the page (title, groups, public sites). */
  config?: string;
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

/** `report --html DIR`: the static status site (serve/ renders it; loaded only for this). */
async function writeHtml(dir: string, flags: ReportFlags, io: CliIO): Promise<void> {
  if (flags.json)
    throw new UsageError('--html and --json do not go together: --html writes status.json too.');
  const { writeStatusFiles } = await import('../serve/report-html.js');
  const config = flags.config === undefined ? null : await loadConfig(flags.config, io.env);
  const written = await writeStatusFiles({ dir, dbFile: flags.db, config });
  io.stdout.write(
    `wrote the status page of ${written.sites} site${written.sites === 1 ? '' : 's'} to ${dir}: ` +
      `index.html, status.json and ${written.files.length - 2} badges\n`,
  );
}

export const action: CommandAction<ReportFlags> = async (_args, flags, { io }) => {
  if (flags.html !== undefined) await writeHtml(flags.html, flags, io);
  else if (flags.config !== undefined) throw new UsageError('--config is for --html: give --html DIR too.');
  else runReport(flags, io);
  return EXIT.ok;
};
