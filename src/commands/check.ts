import { loadConfig } from '../config/load.js';
import { type AbortedError, exitCodeFor, type InterruptedError, interruption } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO, OutStream } from '../core/io.js';
import { type LocationsSummary, missingLocationLines } from '../core/locations.js';
import { USER_AGENT, VERSION } from '../core/version.js';
import { type FailOn, failsOnWarnings } from '../report/fail-on.js';
import { renderJsonPieces } from '../report/json.js';
import { createProgress } from '../report/progress.js';
import { buildReport, type SweepReport } from '../report/sweep-report.js';
import { renderTable } from '../report/table.js';
import { configureMode, type ModeName, type ModeSettings, STRATEGIES } from '../strategies/index.js';
import { locationSettings } from '../strategies/queue/options.js';
import { runStoppable } from '../strategies/stoppable.js';
import { DEFAULT_CONCURRENCY } from '../util/options.js';
import { capYoungGeneration } from '../util/young-generation.js';
import type { CommandAction } from './command.js';
import { chalkFor, checkOverrides, type SweepFlags } from './shared.js';

export interface CheckFlags extends SweepFlags {
  mode: ModeName;
  quiet?: boolean;
  /** Warnings that fail the check as a site down does (exit 1). */
  failOn?: FailOn[];
}

export interface CheckOutcome {
  report: SweepReport;
  /** The signal that stopped the sweep before every site was checked; null when it ran to the end. */
  stopped: InterruptedError | AbortedError | null;
}

function stopLabel(io: CliIO): string {
  const by = interruption(io.signal);
  return by === null ? 'interrupted' : `interrupted by ${by.signal}`;
}

/** Pieces joined into writes of about 64 KB, waiting for 'drain' where the stream asks to (a slow pipe). */
async function writePieces(stream: OutStream, pieces: Iterable<string>): Promise<void> {
  const events = stream as Partial<NodeJS.WritableStream & { destroyed: boolean }>;
  const flush = async (text: string) => {
    if (stream.write(text) !== false || typeof events.once !== 'function' || events.destroyed === true)
      return;
    // A closed or failed stream never drains: stop waiting then too (its error is the stream's to report).
    await new Promise<void>((resolve) => {
      const done = () => {
        for (const event of ['drain', 'close', 'error']) events.off?.(event, done);
        resolve();
      };
      for (const event of ['drain', 'close', 'error']) events.once?.(event, done);
    });
  };
  let batch = '';
  for (const piece of pieces) {
    batch += piece;
    if (batch.length >= 65_536) {
      await flush(batch);
      batch = '';
    }
  }
  if (batch !== '') await flush(batch);
}

/**
 * Load, sweep, print. A signal (io.signal) stops the sweep: what finished is printed all the same, the
 * rest as unchecked. Returns the report; the caller turns it into an exit code.
 */
export async function runCheck(
  file: string,
  flags: CheckFlags,
  io: CliIO,
  settings: ModeSettings = {},
): Promise<CheckOutcome> {
  const loaded = await capYoungGeneration(file);
  const config = await loadConfig(file, io.env, checkOverrides(flags));
  loaded();

  const progress = createProgress(io.stderr, config.sites.length, true);
  // Said at once, not when the sweep has wound down: a person who pressed Ctrl-C wants to know it was heard.
  const onStop = () => {
    progress.done();
    io.stderr.write(`${stopLabel(io)}: stopping and printing what finished; a second signal quits at once\n`);
  };
  io.signal?.addEventListener('abort', onStop, { once: true });
  const startedAt = new Date();
  const strategy = STRATEGIES[flags.mode];
  let sweep: Awaited<ReturnType<typeof runStoppable>>;
  let locations: LocationsSummary | undefined;
  try {
    sweep = await runStoppable(strategy, config.sites, {
      concurrency: flags.concurrency ?? DEFAULT_CONCURRENCY,
      workers: flags.workers,
      userAgent: USER_AGENT,
      secrets: config.secrets,
      signal: io.signal,
      onResult: (r) => progress.tick(r.ok),
      dnsServers: flags.dnsServer,
      onLocations: (summary) => {
        locations = summary;
      },
      ...settings,
      ...locationSettings(config, settings),
    });
  } finally {
    io.signal?.removeEventListener('abort', onStop);
    progress.done();
  }
  const report = buildReport(VERSION, flags.mode, startedAt, new Date(), sweep.results, {
    countUnchecked: strategy.leavesUnchecked === true || sweep.stopped !== null,
    locations,
  });
  // Once per sweep, by name: a location that gave no result counted as not answering.
  for (const line of missingLocationLines(locations)) io.stderr.write(`${line}\n`);

  if (flags.json) {
    await writePieces(io.stdout, renderJsonPieces(report));
  } else {
    const chalk = chalkFor(io, flags.color);
    io.stdout.write(renderTable(report, { chalk, quiet: flags.quiet === true, columns: io.stdout.columns }));
  }
  if (sweep.stopped !== null) {
    const { total, unchecked = 0 } = report.summary;
    io.stderr.write(`${stopLabel(io)}: ${total - unchecked} of ${total} checked, ${unchecked} unchecked\n`);
  }
  return { report, stopped: sweep.stopped };
}

/**
 * Exit 0 when every site is up, 1 when any is down or unchecked (or has a --fail-on warning); stopped by a signal, 130 (SIGINT) or
 * 143 (SIGTERM), after printing what finished.
 */
export const action: CommandAction<CheckFlags> = async ([file], flags, { io, given }) => {
  const settings = configureMode(flags.mode, { command: 'check', flags: { ...flags } }, { given });
  const { report, stopped } = await runCheck(file as string, flags, io, settings);
  if (stopped !== null) return exitCodeFor(stopped.code);
  const { down, unchecked = 0 } = report.summary;
  return down > 0 || unchecked > 0 || failsOnWarnings(report.summary, flags.failOn) ? EXIT.down : EXIT.ok;
};
