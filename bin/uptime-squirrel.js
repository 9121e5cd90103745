#!/usr/bin/env node
// Thin entry: wires signals to the CLI and sets the exit code the CLI decided.
import { main } from '../dist/cli.js';

const controller = new AbortController();
let interrupted = false;
const onSignal = () => {
  // A second signal means "now".
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
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
