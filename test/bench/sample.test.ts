import { describe, expect, it } from 'vitest';
import { behaviourOf } from '../../src/bench/fixture.js';
import { SAMPLE_SIZE, sampleIndexes } from '../../src/bench/sample.js';

describe('the sample a one-at-a-time mode is measured on', () => {
  it('is every site of a list no longer than the sample', () => {
    expect(sampleIndexes(3)).toEqual([0, 1, 2]);
    expect(sampleIndexes(SAMPLE_SIZE)).toHaveLength(SAMPLE_SIZE);
  });

  it('takes one site from each equal stretch of a long list, in order, without repeats', () => {
    for (const total of [51, 120, 2000, 20_000]) {
      const sample = sampleIndexes(total);
      expect(sample).toHaveLength(SAMPLE_SIZE);
      const edge = (k: number) => Math.floor((k * total) / SAMPLE_SIZE);
      for (const [k, index] of sample.entries()) {
        expect(index, `${total}: #${k}`).toBeGreaterThanOrEqual(edge(k));
        expect(index, `${total}: #${k}`).toBeLessThan(edge(k + 1));
      }
      expect(new Set(sample).size).toBe(SAMPLE_SIZE);
    }
  });

  it('does not alias with a periodic pattern: every 10th site failing is about 10% of the sample', () => {
    // A fixed place in each stretch of 40 would hit the same phase of 10 every time: all or none failing.
    const failing = sampleIndexes(2000).filter((i) => behaviourOf(i, 0.1) !== 'ok').length;
    expect(failing).toBeGreaterThanOrEqual(3);
    expect(failing).toBeLessThanOrEqual(8);
  });
});
