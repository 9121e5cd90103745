/**
 * Response times of rolled-up results, as a histogram with logarithmic buckets (each 10% wider than
 * the one before), so percentiles over days of hourly rollups stay within about 5% of the exact value.
 * Stored sparse: a bucket index byte and a varint count per non-empty bucket, typically 3 to 9 bytes.
 */

const RATIO = 1.1;
const LOG_RATIO = Math.log(RATIO);
const MAX_BUCKET = 255;

export type Histogram = Map<number, number>;

/** Bucket b holds times in (RATIO^(b-1), RATIO^b]; 1 ms and below go to bucket 0. */
export function bucketOf(ms: number): number {
  if (ms <= 1) return 0;
  return Math.min(MAX_BUCKET, Math.ceil(Math.log(ms) / LOG_RATIO - 1e-9));
}

/** A bucket's representative time: the geometric middle of its bounds, in whole ms. */
export function bucketValue(bucket: number): number {
  if (bucket === 0) return 1;
  return Math.round(RATIO ** (bucket - 0.5));
}

export function addTo(hist: Histogram, ms: number, count = 1): void {
  const b = bucketOf(ms);
  hist.set(b, (hist.get(b) ?? 0) + count);
}

export function mergeInto(target: Histogram, source: Histogram): void {
  for (const [b, n] of source) target.set(b, (target.get(b) ?? 0) + n);
}

export function encodeHistogram(hist: Histogram): Buffer {
  const bytes: number[] = [];
  for (const b of [...hist.keys()].sort((x, y) => x - y)) {
    let n = hist.get(b) ?? 0;
    if (n <= 0) continue;
    bytes.push(b);
    while (n >= 0x80) {
      bytes.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 0x80);
    }
    bytes.push(n);
  }
  return Buffer.from(bytes);
}

export function decodeHistogram(data: Uint8Array, into: Histogram = new Map()): Histogram {
  let i = 0;
  while (i < data.length) {
    const b = data[i++] as number;
    let n = 0;
    let scale = 1;
    for (;;) {
      const byte = data[i++];
      if (byte === undefined) return into;
      n += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
    }
    into.set(b, (into.get(b) ?? 0) + n);
  }
  return into;
}

export function histogramCount(hist: Histogram): number {
  let total = 0;
  for (const n of hist.values()) total += n;
  return total;
}

/** Nearest-rank percentile (p from 0 to 1), as a bucket's representative time; null when empty. */
export function histogramPercentile(hist: Histogram, p: number): number | null {
  const total = histogramCount(hist);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const b of [...hist.keys()].sort((x, y) => x - y)) {
    seen += hist.get(b) ?? 0;
    if (seen >= rank) return bucketValue(b);
  }
  return null;
}

/** Nearest-rank percentile of exact values, sorted ascending. */
export function exactPercentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}
