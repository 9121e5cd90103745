import { InvalidArgumentError, Option } from 'commander';
import { startFixture } from '../bench/fixture.js';
import { runContender } from '../bench/run-contender.js';
import type { RunOutput } from '../bench/run-one.js';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { CliIO } from '../core/io.js';
import { DEFAULT_OPTIONS, type Site } from '../core/site.js';
import { type BenchReport, renderBenchTable } from '../report/bench.js';
import { ALL_MODE_NAMES, MODE_NAMES, type ModeName } from '../strategies/index.js';
import { parseDuration } from '../util/duration.js';
import { options, redisUrl } from '../util/options.js';
import { DEFAULT_CONCURRENCY } from './check.js';
import type { RegisterCommand } from './command.js';
import { chalkFor, checkOverrides, type SweepFlags } from './shared.js';

interface BenchFlags extends SweepFlags {
  modes: ModeName[];
  repeat: number;
  simulate?: number;
  latency: number;
  errors?: boolean;
}

function modeList(value: string): ModeName[] {
  const modes = value.split(',').map((m) => m.trim());
  const bad = modes.filter((m) => !(ALL_MODE_NAMES as readonly string[]).includes(m));
  if (bad.length > 0 || modes.length === 0) {
    throw new InvalidArgumentError(`--modes takes a comma-separated list of ${ALL_MODE_NAMES.join(', ')}.`);
  }
  return [...new Set(modes)] as ModeName[];
}

function wholeNumber(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    }
    return n;
  };
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

export async function runBench(file: string | undefined, flags: BenchFlags, io: CliIO): Promise<BenchReport> {
  if (flags.modes.includes('queue') && flags.redis === undefined) {
    throw new UsageError(
      'bench --modes queue needs --redis URL, and `uptime-squirrel worker --redis URL` processes running (on this machine with --simulate: its origins are on 127.0.0.1).',
    );
  }
  const redis =
    flags.modes.includes('queue') && flags.redis !== undefined ? redisUrl(flags.redis) : undefined;
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
          redisUrl: redis,
          deadlineMs: flags.deadline,
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

export const registerBench: RegisterCommand = (program, { io, setExitCode }) => {
  program
    .command('bench')
    .description('compare the concurrency modes on the same sites, each in a fresh process')
    .argument('[sites.json]', 'the sites to check (or use --simulate)')
    .addOption(
      new Option('--modes <list>', `comma-separated modes to compare (queue too, with --redis)`)
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
        .argParser((v: string) => {
          const ms = parseDuration(v);
          if (ms === null || ms > 60_000)
            throw new InvalidArgumentError('--latency must be a duration up to 60s (200, 200ms, 1s).');
          return ms;
        })
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
    .addOption(options.noColor())
    .addOption(options.redis('with --modes queue: the Redis server the running workers use'))
    .addOption(options.deadline())
    .action(async (file: string | undefined, flags: BenchFlags) => {
      await runBench(file, flags, io);
      setExitCode(EXIT.ok);
    });
};
