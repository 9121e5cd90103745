import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AbortedError } from '../core/errors.js';
import type { Contender, ContenderRun } from './contenders.js';
import { FIXTURE_KINDS, type FixtureContext, type Workload } from './workloads.js';

/** Every run of every contender on one workload. */
export interface WorkloadResult {
  workload: Workload;
  https: boolean;
  runs: Map<string, ContenderRun[]>;
  /** Contenders left out, and why (not installed, failed). */
  skipped: Map<string, string>;
}

export interface SuiteOptions {
  contenders: readonly Contender[];
  repeat: number;
  concurrency: number;
  timeoutMs: number;
  fixtures: FixtureContext;
  signal?: AbortSignal;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

/**
 * Run one workload: start its fixture, then `repeat` rounds, each running every contender once in
 * turn (interleaved, so a noisy minute of the machine is shared out rather than landing on one
 * contender), then stop the fixture.
 */
export async function runWorkload(workload: Workload, opts: SuiteOptions): Promise<WorkloadResult> {
  const start = FIXTURE_KINDS[workload.fixture.kind];
  if (!start)
    throw new Error(
      `no fixture kind "${workload.fixture.kind}" (known: ${Object.keys(FIXTURE_KINDS).join(', ')})`,
    );
  const fixture = await start(workload.fixture, opts.fixtures);
  const result: WorkloadResult = {
    workload,
    https: fixture.urls[0]?.startsWith('https:') === true,
    runs: new Map(),
    skipped: new Map(),
  };
  try {
    const urlsFile = join(opts.fixtures.dir, `${workload.id}.urls`);
    const sitesFile = join(opts.fixtures.dir, `${workload.id}.sites.json`);
    await writeFile(urlsFile, `${fixture.urls.join('\n')}\n`);
    await writeFile(
      sitesFile,
      JSON.stringify({ defaults: { retries: 0, timeoutMs: opts.timeoutMs }, sites: fixture.urls }),
    );
    const chosen = opts.contenders.filter(
      (c) => !workload.contenders || workload.contenders.includes(c.name),
    );
    for (const c of chosen) {
      const why = c.unavailable?.() ?? null;
      if (why) result.skipped.set(c.name, why);
    }
    for (let round = 1; round <= opts.repeat; round++) {
      for (const c of chosen) {
        if (result.skipped.has(c.name)) continue;
        if (opts.signal?.aborted) throw new AbortedError();
        try {
          const run = await c.run({
            urlsFile,
            sitesFile,
            caFile: fixture.caFile,
            concurrency: opts.concurrency,
            timeoutMs: opts.timeoutMs,
            env: { ...fixture.env, ...workload.env },
            args: workload.args?.[c.name] ?? [],
            prefix: [...(fixture.prefix ?? []), ...(workload.prefix ?? [])],
            signal: opts.signal,
          });
          result.runs.set(c.name, [...(result.runs.get(c.name) ?? []), run]);
          opts.log(
            `bench: ${workload.id} round ${round}/${opts.repeat} ${c.name}: wall ${Math.round(run.wallMs)} ms, ` +
              `CPU ${Math.round(run.cpuMs)} ms, peak RSS ${run.peakRssMb.toFixed(0)} MB, up ${run.up}/${run.checks}`,
          );
        } catch (err) {
          if (err instanceof AbortedError) throw err;
          result.skipped.set(c.name, `failed: ${(err as Error).message.split('\n')[0]}`);
          opts.log(`bench: ${workload.id} ${c.name} failed: ${(err as Error).message}`);
        }
      }
    }
  } finally {
    await fixture.close();
  }
  return result;
}
