import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextOccurrence, nextTick, occurrenceAt } from '../../src/util/window-time.js';
import { cronScheduler } from '../../src/watch/scheduler.js';

const BERLIN = 'Europe/Berlin';
const HOUR = 3_600_000;

/** The local calendar day (in `zone`) of a time: "2026-03-29". */
const localDay = (ms: number, zone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(ms);

/** Ticks of `expression` from `from` for `n` ticks. */
function ticks(expression: string, from: string, n: number, zone: string): number[] {
  const out: number[] = [];
  let at = Date.parse(from);
  for (let i = 0; i < n; i++) {
    at = nextTick(expression, at, zone);
    out.push(at);
  }
  return out;
}

describe('a daily 02:30 job in Europe/Berlin across daylight-saving changes', () => {
  it('runs once on the spring-forward day (02:30 does not exist: at 03:00 local), no day skipped', () => {
    const runs = ticks('30 2 * * *', '2026-03-27T12:00:00Z', 4, BERLIN);
    expect(runs.map((t) => new Date(t).toISOString())).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
    ]);
    expect(runs.map((t) => localDay(t, BERLIN))).toEqual([
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
      '2026-03-31',
    ]);
  });

  it('runs once on the fall-back day (02:30 happens twice), no day skipped', () => {
    const runs = ticks('30 2 * * *', '2026-10-23T12:00:00Z', 4, BERLIN);
    expect(runs.map((t) => new Date(t).toISOString())).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
    expect(new Set(runs.map((t) => localDay(t, BERLIN))).size).toBe(4);
  });
});

describe('the daemon scheduler with a time zone (fake timers: pure scheduling)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const [what, start] of [
    ['spring', '2026-03-27T12:00:00Z'],
    ['autumn', '2026-10-23T12:00:00Z'],
  ] as const) {
    const expected = ticks('30 2 * * *', start, 4, BERLIN);
    it(`ticks a daily 02:30 job once a day over the ${what} change`, async () => {
      vi.useFakeTimers({ now: Date.parse(start) });
      const runs: number[] = [];
      const scheduler = cronScheduler('30 2 * * *', { timeZone: BERLIN });
      const done = scheduler.run(async () => {
        runs.push(Date.now());
      });
      await vi.advanceTimersByTimeAsync(4 * 24 * HOUR);
      await scheduler.stop();
      await done;
      // The first run is the one at start; then one per local day.
      const days = runs.slice(1).map((t) => localDay(t, BERLIN));
      expect(days).toHaveLength(4);
      expect(new Set(days).size).toBe(4);
      // At 02:30 Berlin time (03:00 on the spring day), not the system zone's.
      expect(runs.slice(1).map((t) => Math.floor(t / 1000) * 1000)).toEqual(expected);
    });
  }
});

describe('maintenance window occurrences', () => {
  const nightly = { every: '0 2 * * *', durationMs: HOUR / 2, timeZone: BERLIN };

  it('covers [start, start + duration) of each occurrence, in the window zone', () => {
    const start = Date.parse('2026-06-01T00:00:00Z'); // 02:00 in Berlin (summer time)
    expect(occurrenceAt(nightly, start - 1)).toBeNull();
    expect(occurrenceAt(nightly, start)).toEqual({ start, end: start + HOUR / 2 });
    expect(occurrenceAt(nightly, start + HOUR / 2 - 1)).toEqual({ start, end: start + HOUR / 2 });
    expect(occurrenceAt(nightly, start + HOUR / 2)).toBeNull();
  });

  it('takes the default zone for a window without its own', () => {
    const own = { ...nightly, timeZone: null };
    expect(occurrenceAt(own, Date.parse('2026-06-01T02:10:00Z'), 'UTC')).not.toBeNull();
    expect(occurrenceAt(own, Date.parse('2026-06-01T02:10:00Z'), BERLIN)).toBeNull();
  });

  it('gives the next occurrence, or none for a one-off window that is over', () => {
    const oneOff = { start: 1000, end: 2000 };
    expect(nextOccurrence(oneOff, 0)).toEqual(oneOff);
    expect(nextOccurrence(oneOff, 1500)).toEqual(oneOff);
    expect(nextOccurrence(oneOff, 2000)).toBeNull();
    expect(nextOccurrence(nightly, Date.parse('2026-06-01T12:00:00Z'))).toEqual({
      start: Date.parse('2026-06-02T00:00:00Z'),
      end: Date.parse('2026-06-02T00:30:00Z'),
    });
  });
});
