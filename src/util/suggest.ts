/** "Did you mean" hints for typos in config keys and enum values. */

/**
 * Edit distance: the fewest single-character insertions, deletions, substitutions and swaps of two
 * neighbours from a to b (optimal string alignment). A swap counts once because `emial` for `email`
 * is one slip of the fingers, not two.
 */
export function editDistance(a: string, b: string): number {
  // Three rows of the classic table at a time: the swap looks two rows back.
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (beforePrevious[j - 2] ?? 0) + 1);
      }
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Length of the longest common prefix of two strings. */
function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * The candidate the user most likely meant, compared case-insensitively (`TimeOut` finds `timeoutMs`):
 * - one that differs only in case;
 * - else the closest within a third of the longer word's length, and never more than three edits
 *   (`methd` -> `method`, `timeout` -> `timeoutMs`, `emial` -> `email`; but not `name` for `type`);
 * - else the one candidate that shares a prefix of four letters or more covering two thirds of the
 *   shorter word: a different ending of the same word (`retry` -> `retries`, `expected` -> `expectStatus`),
 *   not merely the same first syllable (`maxResponseTimeMs` is not `maxRedirects`).
 * Undefined when nothing is that close, so the caller lists what is allowed instead of a wrong guess.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  const sameLetters = candidates.find((c) => c.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    const bound = Math.min(3, Math.floor(Math.max(lower.length, other.length) / 3));
    const distance = editDistance(lower, other);
    if (distance <= bound && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined) return best;
  const sameStem = candidates.filter((c) => {
    const other = c.toLowerCase();
    const shared = commonPrefix(lower, other);
    return shared >= 4 && shared * 3 >= Math.min(lower.length, other.length) * 2;
  });
  return sameStem.length === 1 ? sameStem[0] : undefined;
}
