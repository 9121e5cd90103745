/** "Did you mean" hints for typos in config keys and enum values. */

/** Edit distance: the fewest single-character insertions, deletions and substitutions from a to b. */
export function levenshtein(a: string, b: string): number {
  // One row of the classic table at a time: configs are small, but there is no reason to keep n*m cells.
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate the user most likely meant: one that differs only in case, else the closest within two
 * edits (compared case-insensitively, so `TimeOut` still finds `timeoutMs`). Undefined when nothing is
 * that close, so the caller lists what is allowed instead of guessing.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  const sameLetters = candidates.find((c) => c.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = levenshtein(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined) return best;
  // A different ending of the same word (`retry` for `retries`): one candidate sharing the first four letters.
  const stem = lower.slice(0, 4);
  const sameStem = stem.length === 4 ? candidates.filter((c) => c.toLowerCase().startsWith(stem)) : [];
  return sameStem.length === 1 ? sameStem[0] : undefined;
}
