import { describe, expect, it } from 'vitest';
import type { Kind } from '../../src/core/result.js';
import { CheckDurations } from '../../src/watch/history-order.js';

const site = (name: string) => ({ url: `https://${name}.example/` });
const result = (durationMs: number, kind: Kind = 'ok', ok: boolean | null = kind === 'ok') => ({
  durationMs,
  kind,
  ok,
});

describe('CheckDurations', () => {
  it('keeps config order while nothing is known', () => {
    const d = new CheckDurations();
    expect(d.order(['a', 'b', 'c'].map(site))).toEqual([0, 1, 2]);
  });

  it('starts time-outs first, then sites never checked, then the slowest first', () => {
    const d = new CheckDurations();
    const sites = ['fast', 'hangs', 'slow', 'new', 'refused', 'medium'].map(site);
    d.record(sites[0]?.url ?? '', result(20));
    d.record(sites[1]?.url ?? '', result(5000, 'timeout', false));
    d.record(sites[2]?.url ?? '', result(300));
    d.record(sites[4]?.url ?? '', result(1, 'refused', false));
    d.record(sites[5]?.url ?? '', result(120));
    expect(d.order(sites).map((i) => sites[i]?.url)).toEqual(
      ['hangs', 'new', 'slow', 'medium', 'fast', 'refused'].map((n) => site(n).url),
    );
  });

  it('ignores checks a mode gave up on, and forgets sites no longer configured', () => {
    const d = new CheckDurations();
    const [a, b] = [site('a'), site('b')];
    d.record(a.url, result(10));
    d.record(b.url, result(900));
    d.record(a.url, result(99_999, 'timeout', null));
    expect(d.order([a, b])).toEqual([1, 0]);
    d.keepOnly([a.url]);
    // b is unknown again: treated as slow.
    expect(d.order([a, b])).toEqual([1, 0]);
    d.record(b.url, result(1));
    expect(d.order([a, b])).toEqual([0, 1]);
  });
});
