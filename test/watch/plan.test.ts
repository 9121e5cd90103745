import { describe, expect, it } from 'vitest';
import { siteKey } from '../../src/util/site-key.js';
import { planEntries } from '../../src/watch/batches.js';
import {
  everyInterval,
  IntervalPlan,
  onCron,
  SLOT_MS,
  siteOffset,
  slotAtOrAfter,
} from '../../src/watch/plan.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const MINUTE = 60_000;

function urls(n: number): string[] {
  return Array.from({ length: n }, (_v, i) => `https://site-${i}.example.com/health`);
}

/** Runs the plan in simulated time: every second, start what is due; each check takes `took(key)`. */
function simulate(plan: IntervalPlan, fromMs: number, toMs: number, took: (key: string) => number) {
  const starts = new Map<string, number[]>();
  const ends: { key: string; at: number }[] = [];
  for (let now = fromMs; now <= toMs; now += SLOT_MS) {
    // Checks finished by now are committed (and their sites freed) at this second.
    const over = ends.filter((e) => e.at <= now);
    for (const end of over) plan.done(end.key, now);
    ends.splice(0, ends.length, ...ends.filter((e) => e.at > now));
    for (const due of plan.due(now)) {
      const list = starts.get(due.key) ?? [];
      list.push(now);
      starts.set(due.key, list);
      ends.push({ key: due.key, at: now + took(due.key) });
    }
  }
  return starts;
}

describe('siteOffset', () => {
  it('is stable for a site, in whole slots within the interval', () => {
    const key = siteKey('https://example.com/');
    expect(siteOffset(key, MINUTE)).toBe(siteOffset(key, MINUTE));
    for (const url of urls(200)) {
      const offset = siteOffset(siteKey(url), MINUTE);
      expect(offset % SLOT_MS).toBe(0);
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(MINUTE);
    }
  });

  it('spreads the sites of one interval evenly over it', () => {
    const perSecond = new Array<number>(60).fill(0);
    for (const url of urls(6000)) {
      const second = siteOffset(siteKey(url), MINUTE) / SLOT_MS;
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    }
    // 100 per second on average: a burst at :00 would put thousands in one second.
    expect(Math.max(...perSecond)).toBeLessThan(150);
    expect(Math.min(...perSecond)).toBeGreaterThan(50);
  });
});

describe('everyInterval', () => {
  it('is due on its grid from the epoch, not from the start', () => {
    const cadence = everyInterval(MINUTE, 7000);
    expect(cadence.first(T0 + 1000)).toBe(T0 + 7000);
    expect(cadence.first(T0 + 7000)).toBe(T0 + 7000);
    expect(cadence.first(T0 + 8000)).toBe(T0 + MINUTE + 7000);
    expect(slotAtOrAfter(T0 + 7001, MINUTE, 7000)).toBe(T0 + MINUTE + 7000);
  });

  it('stays on the grid whatever the check took, and skips the slots a long check covered', () => {
    const cadence = everyInterval(10_000, 0);
    expect(cadence.after(T0, T0 + 300)).toBe(T0 + 10_000);
    expect(cadence.after(T0, T0 + 9999)).toBe(T0 + 10_000);
    expect(cadence.after(T0, T0 + 10_000)).toBe(T0 + 10_000);
    expect(cadence.after(T0, T0 + 25_000)).toBe(T0 + 30_000);
  });
});

describe('onCron', () => {
  it('is due at once, then at every tick after the check finished', () => {
    const cadence = onCron('*/5 * * * *');
    expect(cadence.periodMs).toBe(5 * MINUTE);
    expect(cadence.first(T0 + 1234)).toBe(T0 + 1234);
    expect(cadence.after(T0 + 1234, T0 + 3000)).toBe(T0 + 5 * MINUTE);
    // A check that ran past a tick skips it.
    expect(cadence.after(T0, T0 + 6 * MINUTE)).toBe(T0 + 10 * MINUTE);
    // A tick is never handed out twice.
    expect(cadence.after(T0 + 5 * MINUTE, T0 + 5 * MINUTE + 200)).toBe(T0 + 10 * MINUTE);
  });
});

describe('IntervalPlan', () => {
  it('hands out each due site once, and not again while its check runs', () => {
    const plan = new IntervalPlan([{ key: 'a', cadence: everyInterval(10_000, 0) }], T0 - 1);
    expect(plan.due(T0 - 1)).toEqual([]);
    expect(plan.nextDue()).toBe(T0);
    expect(plan.due(T0)).toEqual([{ key: 'a', slot: T0, missed: 0 }]);
    expect(plan.running).toBe(1);
    // Still running at its next slots: never due twice at once, and not counted as idle.
    expect(plan.due(T0 + 10_000)).toEqual([]);
    expect(plan.due(T0 + 20_000)).toEqual([]);
    expect(plan.nextDue()).toBeNull();
    plan.done('a', T0 + 25_000);
    // Slots 10 s and 20 s were covered by the long check: missed, and said so at the next one.
    expect(plan.nextDue()).toBe(T0 + 30_000);
    expect(plan.due(T0 + 30_000)).toEqual([{ key: 'a', slot: T0 + 30_000, missed: 2 }]);
  });

  it('checks sites of different intervals each at its own pace, with no drift over an hour', () => {
    const sites = [
      ...urls(40).map((url) => ({ url, interval: 10_000 })),
      ...urls(40).map((url) => ({ url: `${url}?b`, interval: MINUTE })),
      ...urls(40).map((url) => ({ url: `${url}?c`, interval: undefined })),
    ];
    const entries = planEntries(sites as never, '*/5 * * * *');
    const plan = new IntervalPlan(entries, T0);
    // Checks take 0.2 to 3.2 s: shorter than every interval, so no slot is missed.
    const starts = simulate(plan, T0, T0 + 3_600_000, (key) => 200 + (key.charCodeAt(0) % 4) * 1000);
    const gaps = (key: string) => {
      const list = starts.get(key) ?? [];
      return list.slice(1).map((t, i) => t - (list[i] as number));
    };
    for (const { key } of entries.slice(0, 40)) {
      expect(new Set(gaps(key))).toEqual(new Set([10_000]));
      expect(starts.get(key)?.length).toBeGreaterThanOrEqual(359);
    }
    for (const { key } of entries.slice(40, 80)) {
      expect(new Set(gaps(key))).toEqual(new Set([MINUTE]));
      // The hour's both ends are included: a site at offset 0 gets 61.
      expect(starts.get(key)?.length).toBeGreaterThanOrEqual(60);
    }
    for (const { key } of entries.slice(80)) {
      // At once, then every 5 minutes on the cron.
      expect(starts.get(key)?.[0]).toBe(T0);
      expect(new Set(gaps(key))).toEqual(new Set([5 * MINUTE]));
    }
  });

  it('keeps the slot and the check in flight of a site a new config keeps, and adds new ones', () => {
    const plan = new IntervalPlan([{ key: 'a', cadence: everyInterval(10_000, 0) }], T0);
    expect(plan.due(T0).map((d) => d.key)).toEqual(['a']);
    plan.update(
      [
        { key: 'a', cadence: everyInterval(10_000, 0) },
        { key: 'b', cadence: everyInterval(10_000, 3000) },
      ],
      T0 + 500,
    );
    expect(plan.running).toBe(1);
    expect(plan.due(T0 + 3000).map((d) => d.key)).toEqual(['b']);
    plan.done('a', T0 + 4000);
    expect(plan.nextDue()).toBe(T0 + 10_000);
    // A site removed while its check runs: its done() is ignored, it is never due again.
    plan.update([{ key: 'a', cadence: everyInterval(10_000, 0) }], T0 + 5000);
    plan.done('b', T0 + 5000);
    expect(plan.size).toBe(1);
    expect(plan.due(T0 + 13_000).map((d) => d.key)).toEqual(['a']);
  });
});
