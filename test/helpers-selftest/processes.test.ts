import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alive } from '../helpers/proc-table.js';
import { binPath, repoRoot, runNode, tempDir, writeJson } from '../helpers/processes.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function script(source: string): Promise<string> {
  const dir = await tempDir();
  cleanup = dir.cleanup;
  const file = join(dir.path, 'script.mjs');
  await writeFile(file, source);
  return file;
}

describe('processes', () => {
  it('runBin targets bin/uptime-squirrel.js at the repository root', () => {
    expect(binPath).toBe(join(repoRoot, 'bin', 'uptime-squirrel.js'));
    expect(existsSync(join(repoRoot, 'package.json'))).toBe(true);
  });

  it('runNode passes args, env and input, and collects output and exit code', async () => {
    const file = await script(
      `let input = '';
       process.stdin.on('data', (d) => { input += d; });
       process.stdin.on('end', () => {
         process.stdout.write(JSON.stringify({ args: process.argv.slice(2), env: process.env.SQUIRREL_X, input, cwd: process.cwd() }));
         process.stderr.write('warned');
         process.exitCode = 3;
       });`,
    );
    const result = await runNode(file, ['check', '--json'], {
      env: { SQUIRREL_X: 'yes' },
      input: 'hello',
      timeoutMs: 5000,
    });
    expect(result.code).toBe(3);
    expect(result.signal).toBeNull();
    expect(result.stderr).toBe('warned');
    expect(JSON.parse(result.stdout)).toMatchObject({
      args: ['check', '--json'],
      env: 'yes',
      input: 'hello',
    });
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('runNode kills a child that outlives timeoutMs and rejects', async () => {
    const file = await script(
      `process.stdout.write(String(process.pid)); process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);`,
    );
    const run = runNode(file, [], { timeoutMs: 500 });
    await expect(run).rejects.toThrow(/did not finish within 500 ms/);
    const pid = Number(
      (await run.catch((error: Error) => error.message)).toString().match(/stdout:\n(\d+)/)?.[1],
    );
    expect(pid).toBeGreaterThan(0);
    await expect.poll(() => alive(pid)).toBe(false);
  });

  it('tempDir() and writeJson() write a readable file, and cleanup removes the folder', async () => {
    const dir = await tempDir();
    const file = await writeJson(dir.path, 'sites.json', { sites: [{ url: 'http://127.0.0.1/' }] });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ sites: [{ url: 'http://127.0.0.1/' }] });
    await dir.cleanup();
    expect(existsSync(dir.path)).toBe(false);
  });
});
