import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('../../dist/util/young-generation.js', import.meta.url));

/** The young generation's size (MB) after a child allocates steadily, keeping a fifth alive a while. */
function youngGenerationAfterAllocating(capped: boolean): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    const { capYoungGeneration } = await import(${JSON.stringify(MODULE)});
    if (${capped}) capYoungGeneration()();
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
  it('stops the young generation at 2 x 4 MB where it would otherwise grow past it', () => {
    expect(youngGenerationAfterAllocating(false)).toBeGreaterThan(8);
    expect(youngGenerationAfterAllocating(true)).toBeLessThanOrEqual(8);
  });
});
