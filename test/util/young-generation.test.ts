import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('../../dist/util/young-generation.js', import.meta.url));

/** The young generation's size (MB) after a child allocates steadily, keeping a fifth alive a while. */
function youngGenerationAfterAllocating(configFile: string | null): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    const { capYoungGeneration } = await import(${JSON.stringify(MODULE)});
    const file = ${JSON.stringify(configFile)};
    if (file !== null) (await capYoungGeneration(file))();
    const kept = [];
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 20000; i++) { const o = { i, s: String(i), a: [i] }; if (i % 5 === 0) kept.push(o); }
      if (kept.length > 200000) kept.splice(0, 100000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(space.space_size / 1048576);
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return Number(run.stdout.trim());
}

describe('capYoungGeneration', () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'us-young-'));
  const long = join(dir, 'long.json');
  const short = join(dir, 'short.json');
  writeFileSync(long, ' '.repeat(70 * 1024));
  writeFileSync(short, '[]');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops the young generation at 2 x 4 MB for a long site list, where it would otherwise grow past it', () => {
    expect(youngGenerationAfterAllocating(null)).toBeGreaterThan(8);
    expect(youngGenerationAfterAllocating(long)).toBeLessThanOrEqual(8);
  });

  it('changes nothing for a short list (nor loads node:v8 for it)', () => {
    expect(youngGenerationAfterAllocating(short)).toBeGreaterThan(8);
  });
});
