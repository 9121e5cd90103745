import { startFixture } from '../bench/fixture.js';
import { runContender } from '../bench/run-contender.js';
import type { RunOutput } from '../bench/run-one.js';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import { DEFAULT_OPTIONS, type Site } from '../core/site.js';
import { type BenchReport, renderBenchTable } from '../report/bench.js';
import { configureMode, type ModeName, type ModeSettings } from '../strategies/index.js';
import { DEFAULT_CONCURRENCY } from '../util/options.js';
import type { CommandAction } from './command.js';
import { chalkFor, checkOverrides, type SweepFlags } from './shared.js';

export interface BenchFlags extends SweepFlags {
  modes: ModeName[];
  repeat: number;
  simulate?: number;
  latency: number;
  errors?: boolean;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : Math.round(((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2);
};

/** The verdict vector most modes gave: the reference each mode is compared with. */
function consensus(outputs: RunOutput[]): string {
  const counts = new Map<string, number>();
  for (const o of outputs) {
    const key = o.verdicts.join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
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

export async function runBench(
  file: string | undefined,
  flags: BenchFlags,
  io: CliIO,
  settings: BenchSettings = {},
): Promise<BenchReport> {
  const { sites, secrets, note, close } = await loadSites(file, flags, io);
  const concurrency = flags.concurrency ?? DEFAULT_CONCURRENCY;
  const runs = new Map<ModeName, RunOutput[]>();
  try {
    for (let rep = 1; rep <= flags.repeat; rep++) {
      for (const mode of flags.modes) {
        if (io.signal?.aborted) throw new UsageError('bench interrupted');
        io.stderr.write(`bench: ${mode}, run ${rep} of ${flags.repeat}...\n`);
        const out = await runContender({
          contender: mode,
          sites,
          concurrency,
          workers: flags.workers,
          secrets,
          settings: settings[mode],
        });
        runs.set(mode, [...(runs.get(mode) ?? []), out]);
      }
    }
  } finally {
    await close();
  }
  const reference = consensus([...runs.values()].map((r) => r[0] as RunOutput));
  const report: BenchReport = {
    sites: sites.length,
    repeat: flags.repeat,
    results: flags.modes.map((mode) => {
      const outs = runs.get(mode) ?? [];
      const walls = outs.map((o) => o.wallMs);
      const wallMedian = median(walls);
      return {
        mode,
        wallMs: { median: wallMedian, min: Math.min(...walls) },
        checksPerSecond: Math.round((sites.length / Math.max(1, wallMedian)) * 1000),
        cpuMs: median(outs.map((o) => o.cpuMs)),
        peakRssMb: Math.max(...outs.map((o) => o.peakRssMb)),
        agrees: outs.every((o) => o.verdicts.join(',') === reference),
      };
    }),
  };
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const header = `${note}; concurrency ${concurrency}; each mode in a fresh process, ${flags.repeat} run(s)`;
    io.stdout.write(renderBenchTable(report, chalkFor(io, flags.color), header));
  }
  return report;
}

export const action: CommandAction<BenchFlags> = async ([file], flags, { io }) => {
  // Only the modes compared are configured; another mode's options are let be, as bench always has.
  const settings: BenchSettings = {};
  for (const mode of flags.modes)
    settings[mode] = configureMode(mode, { command: 'bench', flags: { ...flags } });
  await runBench(file, flags, io, settings);
  return EXIT.ok;
};
