import { fileURLToPath } from 'node:url';
import { measureProcess } from './measure.js';
import type { RunArgs, RunOutput } from './run-one.js';

const runner = fileURLToPath(new URL('./contender-process.js', import.meta.url));

/** A mode's sweep is bounded by its sites' timeouts; this only stops a contender that hangs. */
const CONTENDER_TIMEOUT_MS = 60 * 60_000;

/**
 * Run one mode of `bench` in a fresh Node process and measure it from outside (measure.ts): wall from
 * spawn to exit, CPU of the process tree (its worker processes included) and peak RSS, start-up
 * included. The process reports its verdicts and the response times it measured on stdout.
 * BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles each one.
 * @throws AbortedError when `signal` aborts: the contender and its workers are stopped
 */
export async function runContender(args: RunArgs, signal?: AbortSignal): Promise<RunOutput> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const run = await measureProcess(process.execPath, [...nodeArgs, runner], {
    input: JSON.stringify(args),
    timeoutMs: CONTENDER_TIMEOUT_MS,
    signal,
    stderr: 'inherit',
  });
  if (run.code !== 0) throw new Error(`${args.contender} exited with ${run.code ?? 'a signal'}`);
  const inner = JSON.parse(run.stdout) as RunOutput;
  return {
    ...inner,
    sweep: { wallMs: inner.wallMs, cpuMs: inner.cpuMs },
    wallMs: Math.round(run.wallMs),
    cpuMs: Math.round(run.cpuMs),
    // wait4's maxrss is the largest single process; with worker processes the sum of their peaks (as
    // they reported them) says more about the memory the mode needs, so the larger of the two.
    peakRssMb: Math.round(Math.max(run.maxRssMb, inner.peakRssMb) * 10) / 10,
  };
}
