/**
 * When every site fails without any HTTP response, the likelier story is this machine's network or DNS,
 * not every site at once: say so in words instead of only blaming each site.
 */

import { gotNoResponse, type Kind, type Result } from '../core/result.js';

export function noAnswerNote(results: readonly Result[]): string | null {
  const checked = results.filter((r) => r.ok !== null);
  if (checked.length < 2 || !checked.every(gotNoResponse)) return null;
  const byKind = new Map<Kind, number>();
  for (const r of checked) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  const kinds = [...byKind].sort((a, b) => b[1] - a[1]);
  const how =
    kinds.length === 1
      ? `failed with ${kinds[0]?.[0]}`
      : `failed (${kinds.map(([kind, n]) => `${n} ${kind}`).join(', ')})`;
  const question =
    kinds.length === 1 && kinds[0]?.[0] === 'dns'
      ? 'is this machine offline or is its DNS broken?'
      : 'is this machine offline?';
  return `no site answered: ${checked.length} of ${results.length} ${how}; ${question}`;
}
