import os from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_OPTIONS } from '../core/site.js';
import { startFixture } from './fixture.js';
import { runContender } from './run-contender.js';

/**
 * `npm run bench -- --sites 2000 --latency 200 --concurrency 100 --errors 0`
 * Sweeps a local fixture with our async strategy beside a bare node:http loop and a bare undici
 * loop, each in a fresh process, and prints wall, CPU, checks/s, peak RSS and median response time.
 */

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sites: { type: 'string', default: '2000' },
      latency: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '100' },
      errors: { type: 'string', default: '0' },
      repeat: { type: 'string', default: '1' },
      contenders: { type: 'string', default: 'node-http,undici,sweep-async' },
    },
  });
  const count = Number(values.sites);
  const latencyMs = Number(values.latency);
  const concurrency = Number(values.concurrency);
  const repeat = Number(values.repeat);
  const fixture = await startFixture({ sites: count, latencyMs, errorRate: Number(values.errors) });
  // No retries: the bare loops do not retry either.
  const sites = fixture.urls.map((url) => ({ ...DEFAULT_OPTIONS, url, name: null, retries: 0 }));
  const floor = Math.ceil(count / concurrency) * latencyMs;
  console.log(
    `# ${count} origins, latency ${latencyMs} ms, errors ${values.errors}, concurrency ${concurrency}; ` +
      `floor ceil(N/c) x latency = ${floor} ms; ${os.cpus().length} cores, node ${process.version}`,
  );
  console.log('contender      wall ms  vs floor  checks/s  CPU ms  CPU us/check  peak RSS MB  median ms  up');
  try {
    for (let r = 0; r < repeat; r++) {
      for (const contender of String(values.contenders).split(',')) {
        const s = await runContender({ contender, sites, concurrency });
        const vsFloor = floor > 0 ? `${((s.wallMs / floor - 1) * 100).toFixed(1)}%` : '-';
        console.log(
          [
            s.contender.padEnd(12),
            String(s.wallMs).padStart(9),
            vsFloor.padStart(9),
            String(Math.round((s.checks / s.wallMs) * 1000)).padStart(9),
            String(s.cpuMs).padStart(7),
            ((s.cpuMs * 1000) / s.checks).toFixed(0).padStart(13),
            String(s.peakRssMb).padStart(12),
            String(s.medianMs).padStart(10),
            String(s.up).padStart(5),
          ].join(' '),
        );
      }
    }
  } finally {
    await fixture.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
