#!/usr/bin/env node
// Thin entry: wires signals to the CLI and sets the exit code the CLI decided.
import { InterruptedError, main } from '../dist/bundle/cli.js';

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
