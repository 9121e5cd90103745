/** The location options on the command line, through the built bin: refused before anything starts (exit 2). */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin, tempDir, writeJson } from '../../helpers/processes.js';

let dir: { path: string; cleanup: () => Promise<void> };
let config: string;
beforeAll(async () => {
  dir = await tempDir();
  config = await writeJson(dir.path, 'sites.json', ['http://127.0.0.1:9/']);
});
afterAll(async () => {
  await dir.cleanup();
});

// Nothing listens there: these runs must fail on their options before any connection.
const REDIS = ['--mode', 'queue', '--redis', 'redis://127.0.0.1:9'];

describe('--locations, --quorum and worker --location', () => {
  it('refuses a bad name, a quorum above the locations, a quorum without locations, and either with another mode', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['check', config, ...REDIS, '--locations', 'eu-west,us east'],
        /--locations: "us east" is not a location name/,
      ],
      [
        ['check', config, ...REDIS, '--locations', 'eu-west,eu-west'],
        /--locations: a location is listed twice/,
      ],
      [
        ['check', config, ...REDIS, '--locations', 'a,b', '--quorum', '3'],
        /--quorum 3 is more than the 2 location\(s\)/,
      ],
      [
        ['check', config, ...REDIS, '--quorum', '2'],
        /--quorum needs locations: give --locations, or "locations" in the config/,
      ],
      [
        ['check', config, '--locations', 'a,b'],
        /--locations applies to --mode queue only \(the mode is async\)/,
      ],
      [
        ['worker', '--redis', 'redis://127.0.0.1:9', '--location', 'no/slash'],
        /--location: "no\/slash" is not a location name/,
      ],
    ];
    const runs = await Promise.all(cases.map(([args]) => runBin(args, { timeoutMs: 20_000 })));
    for (const [i, run] of runs.entries()) {
      const [args, message] = cases[i] as [string[], RegExp];
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
    }
  });
});
