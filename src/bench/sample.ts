/**
 * Which sites a mode that checks one at a time is measured on, in a long list: its sweep takes the sum of
 * every response time (2,000 sites at 200 ms: 400 s a run), and its cost per check is what the comparison
 * needs, so `bench` checks an evenly spaced sample and extrapolates to the whole list (`--full`: all).
 */

/** Sites checked of a longer list; ~10 s a run at 200 ms each. */
export const SAMPLE_SIZE = 50;

/** 1 / golden ratio: successive fractions of it spread evenly over [0, 1) and never repeat a pattern. */
const SPREAD = (Math.sqrt(5) - 1) / 2;

/**
 * `size` indexes of a list of `total`, one from each of `size` equal stretches of it, in order: the whole
 * list is covered evenly. The place within each stretch varies (a low-discrepancy sequence) rather than
 * being fixed, because a fixed place would alias with any periodic pattern in the list (every 10th site
 * failing, say) and sample only one phase of it. All of them when the list is no longer than `size`.
 */
export function sampleIndexes(total: number, size: number = SAMPLE_SIZE): number[] {
  if (total <= size) return Array.from({ length: total }, (_, i) => i);
  // Stretch k is [lo, hi): at least one site each, since total > size.
  const edge = (k: number) => Math.floor((k * total) / size);
  return Array.from({ length: size }, (_, k) => {
    const lo = edge(k);
    return lo + Math.floor(((k * SPREAD) % 1) * (edge(k + 1) - lo));
  });
}
