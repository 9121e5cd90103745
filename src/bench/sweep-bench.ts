import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AbortedError } from '../core/errors.js';
import { CONTENDERS } from './contenders.js';
import { renderFastSites, runFastSites } from './fast-sites.js';
import { measurementUnavailable } from './measure.js';
import { renderDetails, renderSummary } from './render.js';
import { runWorkload, type WorkloadResult } from './run-workloads.js';
import { makeBenchCa } from './tls-ca.js';
import { type BenchSet, WORKLOADS, type Workload, workloadsOf } from './workloads.js';

/**
 * `npm run bench [-- --quick | --full] [--only id,id] [--contenders bare,check] [--repeat 3]`
 * `npm run bench -- --only fast [--repeat 3]`: only the fast sites (nginx on loopback, beside curl).
 * `npm run bench -- --sites 2000 --latency 200 [--https]`: one workload of your own instead of a set.
 *
 * Every contender (workloads.ts, contenders.ts) runs as a whole process against a local fixture in
 * processes of its own, measured from outside (measure.ts); `--repeat` interleaved rounds, medians.
 * Progress on stderr; the tables (markdown) on stdout. Everything on loopback; every process started
 * is stopped by its PID.
 */

/** Not a workload: `--only fast` (alone or among workload ids) runs the fast-sites part (fast-sites.ts). */
const FAST = 'fast';

const USAGE =
  'usage: node dist/bench/sweep-bench.js [--quick|--full] [--only ids] [--contenders names] [--repeat n] [--no-fast]\n' +
  `  --only takes workload ids and "${FAST}" (the fast-sites part, nginx on loopback beside curl): --only ${FAST} runs only that`;

function chooseWorkloads(values: Record<string, string | boolean | undefined>): {
  set: BenchSet;
  list: Workload[];
} {
  const set: BenchSet = values.quick ? 'quick' : values.full ? 'full' : 'default';
  if (values.sites !== undefined) {
    const sites = Number(values.sites);
    const latencyMs = Number(values.latency ?? 0);
    const kind = values.https ? 'https' : 'http';
    return {
      set,
      list: [
        {
          id: `${kind}-${latencyMs}ms-${sites}`,
          title: `${kind}, ${latencyMs} ms, N=${sites.toLocaleString('en-US')}: CPU per check / wall / peak RSS`,
          fixture: { kind, sites, latencyMs },
          show: ['cpuPerCheck', 'wall', 'peakRss'],
          sets: [set],
        },
      ],
    };
  }
  const only = typeof values.only === 'string' ? values.only.split(',').filter((id) => id !== FAST) : null;
  const list = only ? WORKLOADS.filter((w) => only.includes(w.id)) : workloadsOf(set);
  if (only && list.length !== only.length) {
    throw new Error(
      `unknown workload in --only ${values.only}; known: ${[...WORKLOADS.map((w) => w.id), FAST].join(', ')}`,
    );
  }
  return { set, list };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      full: { type: 'boolean' },
      only: { type: 'string' },
      contenders: { type: 'string' },
      repeat: { type: 'string' },
      concurrency: { type: 'string', default: '100' },
      timeout: { type: 'string', default: '5000' },
      sites: { type: 'string' },
      latency: { type: 'string' },
      https: { type: 'boolean' },
      'no-fast': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const missing = measurementUnavailable();
  if (missing) throw new Error(missing);
  const { set, list } = chooseWorkloads(values);
  const repeat = Number(values.repeat ?? (set === 'quick' ? 1 : 3));
  const concurrency = Number(values.concurrency);
  const timeoutMs = Number(values.timeout);
  const names = typeof values.contenders === 'string' ? values.contenders.split(',') : null;
  const contenders = names ? CONTENDERS.filter((c) => names.includes(c.name)) : [...CONTENDERS];

  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const dir = await mkdtemp(join(os.tmpdir(), 'us-bench-'));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const loadBefore = os.loadavg();
  const results: WorkloadResult[] = [];
  let fast = '';
  try {
    const fixtures = { ca: await makeBenchCa(dir), dir };
    for (const workload of list) {
      log(
        `bench: ${workload.id} (${workload.fixture.kind}, N=${workload.fixture.sites}, ${workload.fixture.latencyMs} ms)...`,
      );
      results.push(
        await runWorkload(workload, {
          contenders,
          repeat,
          concurrency,
          timeoutMs,
          fixtures,
          signal: controller.signal,
          log,
        }),
      );
    }
    const onlyFast = typeof values.only === 'string' && values.only.split(',').includes(FAST);
    if (!values['no-fast'] && values.sites === undefined && (values.only === undefined || onlyFast)) {
      log('bench: fast sites...');
      fast = renderFastSites(await runFastSites(fixtures, repeat, controller.signal));
    }
  } finally {
    await Promise.all(contenders.map((c) => c.close?.()));
    await rm(dir, { recursive: true, force: true });
  }
  const cpu = os.cpus();
  const out = [
    `## npm run bench ${process.argv.slice(2).join(' ')}`.trimEnd(),
    '',
    `${new Date().toISOString()}; ${cpu.length} cores (${cpu[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `Linux ${os.release()}, Node ${process.version}; load average ${loadBefore[0]?.toFixed(2)} before, ` +
      `${os.loadavg()[0]?.toFixed(2)} after; concurrency ${concurrency}, timeout ${timeoutMs} ms, ${repeat} interleaved round(s), medians; ` +
      'whole processes measured from outside (GNU time: wall from spawn to exit, CPU of the process tree, peak RSS).',
    '',
    results.length > 0 ? renderSummary(results, contenders) : '',
    ...results.map((r) => renderDetails(r, contenders, concurrency)),
    fast,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  if (controller.signal.aborted) throw new AbortedError();
}

main().catch((err) => {
  console.error(err instanceof AbortedError ? 'bench: interrupted' : err);
  process.exitCode = 1;
});
