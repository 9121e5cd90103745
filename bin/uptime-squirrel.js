#!/usr/bin/env node
// Thin entry: wires signals to the CLI and sets the exit code the CLI decided.
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { InterruptedError, main } from '../dist/bundle/cli.js';

// Peak memory (issue 12): V8 doubles the young generation up to 2 x 16 MB while a sweep keeps requests in
// flight, and that alone was a quarter of a 10,000-site sweep's peak RSS. A flag on node's command line
// (--max-semi-space-size) would need `env -S` in the shebang, which busybox (Alpine) lacks; instead, once
// it has reached 2 x 4 MB, it stops growing (V8 reads the growth factor each time it grows). Commands
// that allocate little never get there and never change it.
const youngGeneration = new PerformanceObserver(() => {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  if (space !== undefined && space.space_size >= 8 * 1024 * 1024) {
    setFlagsFromString('--semi-space-growth-factor=1');
    youngGeneration.disconnect();
  }
});
youngGeneration.observe({ entryTypes: ['gc'] });

const controller = new AbortController();
/** @param {'SIGINT' | 'SIGTERM'} signal */
const onSignal = (signal) => {
  const stop = new InterruptedError(signal);
  // A second signal means "now": 130 or 143 for the signal that said so.
  if (controller.signal.aborted) process.exit(stop.exitCode);
  controller.abort(stop);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
  signals: process,
});
