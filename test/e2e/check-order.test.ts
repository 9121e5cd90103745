/**
 * `check` shows its results in config order whatever order the checks end in (watch starts the slowest
 * sites first; check keeps the list as written in its output).
 */

import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type TestHttpServer } from '../helpers/http-server.js';
import { runBin, tempDir, writeJson } from '../helpers/processes.js';

const servers: TestHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A site answering 200 after `delayMs`; `answered` notes the order in which sites answered. */
async function site(name: string, delayMs: number, answered: string[]): Promise<string> {
  const server = await startHttpServer((_req, res) => {
    const timer = setTimeout(() => {
      answered.push(name);
      res.writeHead(200).end();
    }, delayMs);
    res.once('close', () => clearTimeout(timer));
  });
  servers.push(server);
  return `${server.url}/${name}`;
}

describe('check, the binary', () => {
  it('lists the results in config order, not in the order the checks ended', async () => {
    const answered: string[] = [];
    const urls = [
      await site('slow', 600, answered),
      await site('medium', 300, answered),
      await site('fast', 0, answered),
    ];
    const dir = await tempDir();
    try {
      const file = await writeJson(dir.path, 'sites.json', urls);
      const run = await runBin(['check', file, '--json', '--concurrency', '3']);
      expect(run.code).toBe(0);
      // All three ran at once, so they ended fastest first...
      expect(answered).toEqual(['fast', 'medium', 'slow']);
      // ...and are shown as the config lists them.
      const results = (JSON.parse(run.stdout) as { results: { url: string }[] }).results;
      expect(results.map((r) => r.url)).toEqual(urls);
    } finally {
      await dir.cleanup();
    }
  });
});
