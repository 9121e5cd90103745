import { describe, expect, it } from 'vitest';
import {
  addTo,
  bucketOf,
  bucketValue,
  decodeHistogram,
  encodeHistogram,
  exactPercentile,
  type Histogram,
  histogramCount,
  histogramPercentile,
} from '../../src/store/histogram.js';

describe('response-time histogram', () => {
  it('round-trips through its compact encoding, large counts included', () => {
    const hist: Histogram = new Map([
      [0, 1],
      [40, 127],
      [41, 128],
      [200, 3_600_000],
    ]);
    const bytes = encodeHistogram(hist);
    expect(bytes.length).toBe(2 + 2 + 3 + 5);
    expect(decodeHistogram(bytes)).toEqual(hist);
  });

  it('stores a typical hour (12 checks in 2 buckets) in 4 bytes', () => {
    const hist: Histogram = new Map();
    for (const ms of [120, 121, 119, 120, 122, 120, 118, 120, 121, 120, 135, 134]) addTo(hist, ms);
    expect(histogramCount(hist)).toBe(12);
    expect(encodeHistogram(hist).length).toBeLessThanOrEqual(6);
  });

  it('keeps every time within 5% in its bucket value', () => {
    for (const ms of [2, 3, 7, 10, 55, 100, 999, 1234, 10_000, 59_999, 600_000]) {
      const value = bucketValue(bucketOf(ms));
      expect(Math.abs(value - ms) / ms, `${ms} ms -> ${value}`).toBeLessThanOrEqual(0.06);
    }
    expect(bucketValue(bucketOf(0))).toBe(1);
  });

  it('gives percentiles close to the exact ones', () => {
    const times = Array.from({ length: 1000 }, (_v, i) => 20 + ((i * 7919) % 480));
    const hist: Histogram = new Map();
    for (const t of times) addTo(hist, t);
    const sorted = [...times].sort((a, b) => a - b);
    for (const p of [0.5, 0.95]) {
      const exact = exactPercentile(sorted, p) as number;
      const approx = histogramPercentile(hist, p) as number;
      expect(Math.abs(approx - exact) / exact).toBeLessThanOrEqual(0.06);
    }
    expect(histogramPercentile(new Map(), 0.5)).toBeNull();
    expect(exactPercentile([], 0.5)).toBeNull();
    expect(exactPercentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(exactPercentile([1, 2, 3, 4], 0.95)).toBe(4);
  });
});
