import { fileURLToPath } from 'node:url';
import { type BlackboxExporter, blackboxExporterMissing, startBlackboxExporter } from './blackbox.js';
import type { LoopReport } from './contenders/loop.js';
import { measureProcess } from './measure.js';
import { median } from './stats.js';

/**
 * The contenders of `npm run bench`, each a whole process measured from outside (measure.ts), fed the
 * same URLs with the same concurrency and timeout. Adding one is one entry in CONTENDERS.
 */

/** What a contender is given for one run of one workload. */
export interface RunContext {
  /** The URLs, one a line (the loops read this). */
  urlsFile: string;
  /** The same URLs as an uptime-squirrel sites file (retries 0, the timeout). */
  sitesFile: string;
  /** The local CA's certificate, for https fixtures: each contender trusts it its own usual way. */
  caFile: string | null;
  concurrency: number;
  timeoutMs: number;
  /** The workload's environment for the child, over ours (a resolver setting, say). */
  env: Record<string, string>;
  /** The workload's extra arguments for this contender. */
  args: string[];
  /**
   * A command the contender's command line is run through (measured with it), such as
   * `unshare --mount ... --` to give the process a resolver configuration of its own; empty: none.
   */
  prefix: string[];
  signal?: AbortSignal;
}

export interface ContenderRun extends LoopReport {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  /** How the figures were taken, where it differs from the rest (a daemon measured through /proc). */
  note?: string;
}

export interface Contender {
  name: string;
  /** Column heading; `https` when the workload's URLs are. */
  label(https: boolean): string;
  /** Why it cannot run on this machine, or null. */
  unavailable?(): string | null;
  run(ctx: RunContext): Promise<ContenderRun>;
  /** Stop what it started once for every run (a daemon). */
  close?(): Promise<void>;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const BIN = here('../../bin/uptime-squirrel.js');
const URLLIB = here('../../scripts/bench/urllib-contender.py');
/** `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof"` profiles every Node contender (bare, undici, check). */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** Bounds one run; a 10,000-site sweep at 200 ms takes about 25 s. */
const RUN_TIMEOUT_MS = 10 * 60_000;

/** Trust in the CA the way each runtime reads it from its environment. */
function trustEnv(ctx: RunContext): Record<string, string> {
  return ctx.caFile ? { NODE_EXTRA_CA_CERTS: ctx.caFile, SSL_CERT_FILE: ctx.caFile } : {};
}

interface ProcessSpec {
  command: string;
  args: string[];
  /** Reads the process's stdout into the checks, the up count and the median response time. */
  parse?: (stdout: string) => LoopReport;
  /** Exit codes that still carry a report (check exits 1 when a site is down). */
  okCodes?: number[];
}

async function runProcess(name: string, ctx: RunContext, spec: ProcessSpec): Promise<ContenderRun> {
  const [command, ...args] = [...ctx.prefix, spec.command, ...spec.args, ...ctx.args] as [
    string,
    ...string[],
  ];
  const run = await measureProcess(command, args, {
    env: { ...process.env, ...trustEnv(ctx), ...ctx.env },
    timeoutMs: RUN_TIMEOUT_MS,
    signal: ctx.signal,
  });
  if (run.code === null || !(spec.okCodes ?? [0]).includes(run.code)) {
    throw new Error(`${name} exited with ${run.code ?? 'a signal'}: ${run.stderr.trim().slice(-2000)}`);
  }
  const report = (spec.parse ?? ((out: string) => JSON.parse(out) as LoopReport))(run.stdout);
  return { ...report, wallMs: run.wallMs, cpuMs: run.cpuMs, peakRssMb: run.maxRssMb };
}

const loopArgs = (ctx: RunContext) => [ctx.urlsFile, String(ctx.concurrency), String(ctx.timeoutMs)];

/** A loop script of contenders/ under the same Node. */
function nodeLoop(name: string, script: string, label: (https: boolean) => string): Contender {
  return {
    name,
    label,
    run: (ctx) =>
      runProcess(name, ctx, {
        command: process.execPath,
        args: [...NODE_ARGS, here(script), ...loopArgs(ctx)],
      }),
  };
}

/** `check --json`'s document, as far as the bench reads it. */
interface CheckDocument {
  summary: { up: number };
  results: Array<{ timings: { totalMs: number | null } }>;
}

export function parseCheckJson(stdout: string): LoopReport {
  const doc = JSON.parse(stdout) as CheckDocument;
  const times = doc.results.flatMap((r) => (r.timings.totalMs === null ? [] : [r.timings.totalMs]));
  return { checks: doc.results.length, up: doc.summary.up, medianMs: Math.round(median(times) * 100) / 100 };
}

const check: Contender = {
  name: 'check',
  label: () => 'uptime-squirrel `check`',
  run: (ctx) =>
    runProcess('check', ctx, {
      command: process.execPath,
      args: [
        ...NODE_ARGS,
        BIN,
        'check',
        ctx.sitesFile,
        '--json',
        '-c',
        String(ctx.concurrency),
        '-t',
        `${ctx.timeoutMs}ms`,
        '-r',
        '0',
      ],
      parse: parseCheckJson,
      okCodes: [0, 1],
    }),
};

const python: Contender = {
  name: 'python',
  label: () => 'Python `urllib` + ThreadPoolExecutor(100)',
  run: (ctx) => runProcess('python', ctx, { command: 'python3', args: [URLLIB, ...loopArgs(ctx)] }),
};

/**
 * blackbox_exporter: one daemon, started at its first run and again only when the trust a workload
 * needs changes (its module's CA file is in its config).
 */
function blackbox(): Contender {
  let exporter: { caFile: string | null; daemon: Promise<BlackboxExporter> } | null = null;
  const stop = async () => {
    const old = exporter;
    exporter = null;
    if (old) await (await old.daemon.catch(() => null))?.stop();
  };
  return {
    name: 'blackbox',
    label: () => 'blackbox_exporter 0.23',
    unavailable: blackboxExporterMissing,
    async run(ctx) {
      if (exporter && exporter.caFile !== ctx.caFile) await stop();
      exporter ??= { caFile: ctx.caFile, daemon: startBlackboxExporter(ctx.caFile, ctx.timeoutMs) };
      const daemon = await exporter.daemon;
      const before = daemon.usage();
      daemon.resetPeak();
      const driver = await measureProcess(
        process.execPath,
        [here('./contenders/blackbox-driver.js'), daemon.url, ...loopArgs(ctx), ...ctx.args],
        { env: { ...process.env, ...ctx.env }, timeoutMs: RUN_TIMEOUT_MS, signal: ctx.signal },
      );
      if (driver.code !== 0) throw new Error(`blackbox driver exited with ${driver.code}: ${driver.stderr}`);
      const after = daemon.usage();
      return {
        ...(JSON.parse(driver.stdout) as LoopReport),
        wallMs: driver.wallMs,
        cpuMs: after.cpuMs - before.cpuMs,
        peakRssMb: after.peakRssMb,
        note: 'the exporter daemon: CPU delta from /proc/PID/stat over the run (no start-up), peak RSS from VmHWM reset before the run',
      };
    },
    close: stop,
  };
}

export const CONTENDERS: readonly Contender[] = [
  nodeLoop('bare', './contenders/bare-loop.js', (https) =>
    https ? 'bare `node:https` loop' : 'bare `node:http` loop',
  ),
  python,
  nodeLoop('undici', './contenders/undici-loop.js', () => 'undici out of the box'),
  blackbox(),
  check,
];

/** The contender every ratio is taken against: the bare loop, measured in the same run. */
export const BASELINE = 'bare';
