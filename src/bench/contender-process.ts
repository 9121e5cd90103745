import { type RunArgs, runOne } from './run-one.js';

/**
 * Entry of a contender process, spawned by runContender: reads its RunArgs as JSON on stdin, runs it,
 * prints one JSON line (RunOutput) on stdout.
 */

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  input += chunk;
});
process.stdin.on('end', () => {
  runOne(JSON.parse(input) as RunArgs).then(
    (stats) => process.stdout.write(`${JSON.stringify(stats)}\n`),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
});
