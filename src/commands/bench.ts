import { benchRows, type ModeRuns } from '../bench/compare.js';
import { startFixture } from '../bench/fixture.js';
import { runContender } from '../bench/run-contender.js';
import { SAMPLE_SIZE, sampleIndexes } from '../bench/sample.js';
import { loadConfig } from '../config/load.js';
import { AbortedError, UsageError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import { DEFAULT_OPTIONS, type Site } from '../core/site.js';
import { type BenchReport, renderBenchTable } from '../report/bench.js';
import { configureMode, type ModeName, type ModeSettings, STRATEGIES } from '../strategies/index.js';
import { DEFAULT_CONCURRENCY } from '../util/options.js';
import type { CommandAction } from './command.js';
import { chalkFor, checkOverrides, type SweepFlags } from './shared.js';

export interface BenchFlags extends SweepFlags {
  modes: ModeName[];
  repeat: number;
  simulate?: number;
  latency: number;
  errors?: boolean;
  full?: boolean;
}

async function loadSites(file: string | undefined, flags: BenchFlags, io: CliIO) {
  const overrides = checkOverrides(flags);
  if (flags.simulate !== undefined) {
    const fixture = await startFixture({
      sites: flags.simulate,
      latencyMs: flags.latency,
      errorRate: flags.errors ? 0.1 : 0,
    });
    // No retries by default: a retry's pause would measure our back-off, not the strategy.
    const sites: Site[] = fixture.urls.map((url) => ({
      ...DEFAULT_OPTIONS,
      retries: 0,
      ...overrides,
      url,
      name: null,
    }));
    const note = `${flags.simulate} local origins, ${flags.latency} ms latency${flags.errors ? ', 10% failing' : ''}`;
    return { sites, secrets: [], note, close: () => fixture.close() };
  }
  if (!file) throw new UsageError('bench needs a sites.json or --simulate N (a local fixture of N origins).');
  const config = await loadConfig(file, io.env, overrides);
  return {
    sites: config.sites,
    secrets: config.secrets,
    note: `${file}: ${config.sites.length} sites`,
    close: async () => {},
  };
}

/** Each mode's settings from its own options (queue: --redis, --deadline). */
export type BenchSettings = Partial<Record<ModeName, ModeSettings>>;

/** The sites `mode` is measured on: a sample of a long list for a mode that checks one at a time. */
function sampleFor(mode: ModeName, total: number, flags: BenchFlags): number[] | null {
  return STRATEGIES[mode].oneAtATime === true && flags.full !== true && total > SAMPLE_SIZE
    ? sampleIndexes(total)
    : null;
}

export async function runBench(
  file: string | undefined,
  flags: BenchFlags,
  io: CliIO,
  settings: BenchSettings = {},
): Promise<BenchReport> {
  const { sites, secrets, note, close } = await loadSites(file, flags, io);
  const concurrency = flags.concurrency ?? DEFAULT_CONCURRENCY;
  const runs: ModeRuns[] = flags.modes.map((mode) => ({
    mode,
    outs: [],
    sample: sampleFor(mode, sites.length, flags),
  }));
  try {
    for (let rep = 1; rep <= flags.repeat; rep++) {
      for (const [i, mode] of flags.modes.entries()) {
        if (io.signal?.aborted) throw new AbortedError();
        const run = runs[i] as ModeRuns;
        const part =
          run.sample === null
            ? ''
            : ` (${run.sample.length} of ${sites.length} sites, evenly spaced; --full for all)`;
        io.stderr.write(`bench: ${mode}, run ${rep} of ${flags.repeat}${part}...\n`);
        const out = await runContender(
          {
            contender: mode,
            sites: run.sample === null ? sites : run.sample.map((k) => sites[k] as Site),
            concurrency,
            workers: flags.workers,
            secrets,
            settings: settings[mode],
            progress: io.stderr.isTTY === true,
          },
          io.signal,
        );
        run.outs.push(out);
      }
    }
  } finally {
    await close();
  }
  const report: BenchReport = {
    sites: sites.length,
    repeat: flags.repeat,
    results: benchRows(sites.length, runs),
  };
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const header = `${note}; concurrency ${concurrency}; each mode in a fresh process, ${flags.repeat} run(s)`;
    io.stdout.write(renderBenchTable(report, chalkFor(io, flags.color), header));
  }
  return report;
}

export const action: CommandAction<BenchFlags> = async ([file], flags, { io, given }) => {
  // Checked before anything starts: an option that would be ignored is a mistake to say, not to skip.
  if (flags.simulate !== undefined && file !== undefined) {
    throw new UsageError(
      `bench takes a sites.json or --simulate N, not both: --simulate checks a built-in fixture of local origins instead of the sites in ${file}.`,
    );
  }
  for (const option of ['latency', 'errors']) {
    if (flags.simulate === undefined && given(option)) {
      throw new UsageError(`--${option} applies to --simulate only (the built-in fixture's origins).`);
    }
  }
  // Only the modes compared are configured; another mode's options are let be, as bench always has.
  const settings: BenchSettings = {};
  for (const mode of flags.modes)
    settings[mode] = configureMode(mode, { command: 'bench', flags: { ...flags } });
  await runBench(file, flags, io, settings);
  return EXIT.ok;
};
