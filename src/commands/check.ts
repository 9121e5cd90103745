import { loadConfig } from '../config/load.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import { USER_AGENT, VERSION } from '../core/version.js';
import { renderJson } from '../report/json.js';
import { createProgress } from '../report/progress.js';
import { buildReport, type SweepReport } from '../report/sweep-report.js';
import { renderTable } from '../report/table.js';
import { configureMode, type ModeName, type ModeSettings, STRATEGIES } from '../strategies/index.js';
import { DEFAULT_CONCURRENCY } from '../util/options.js';
import type { CommandAction } from './command.js';
import { chalkFor, checkOverrides, type SweepFlags } from './shared.js';

export interface CheckFlags extends SweepFlags {
  mode: ModeName;
  quiet?: boolean;
}

/** Load, sweep, print. Returns the report; the caller turns it into an exit code. */
export async function runCheck(
  file: string,
  flags: CheckFlags,
  io: CliIO,
  settings: ModeSettings = {},
): Promise<SweepReport> {
  const config = await loadConfig(file, io.env, checkOverrides(flags));

  const progress = createProgress(io.stderr, config.sites.length, true);
  const startedAt = new Date();
  const strategy = STRATEGIES[flags.mode];
  const results = await strategy.run(config.sites, {
    concurrency: flags.concurrency ?? DEFAULT_CONCURRENCY,
    workers: flags.workers,
    userAgent: USER_AGENT,
    secrets: config.secrets,
    signal: io.signal,
    onResult: (r) => progress.tick(r.ok),
    ...settings,
  });
  progress.done();
  const report = buildReport(VERSION, flags.mode, startedAt, new Date(), results, {
    countUnchecked: strategy.leavesUnchecked === true,
  });

  if (flags.json) {
    io.stdout.write(renderJson(report));
  } else {
    const chalk = chalkFor(io, flags.color);
    io.stdout.write(renderTable(report, { chalk, quiet: flags.quiet === true, columns: io.stdout.columns }));
  }
  return report;
}

/** Exit 0 when every site is up, 1 when any is down or unchecked. */
export const action: CommandAction<CheckFlags> = async ([file], flags, { io, given }) => {
  const settings = configureMode(flags.mode, { command: 'check', flags: { ...flags } }, { given });
  const { down, unchecked = 0 } = (await runCheck(file as string, flags, io, settings)).summary;
  return down > 0 || unchecked > 0 ? EXIT.down : EXIT.ok;
};
