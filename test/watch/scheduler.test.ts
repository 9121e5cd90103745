import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkSchedule } from '../../src/util/cron.js';
import { cronScheduler, loopScheduler, type Tick } from '../../src/watch/scheduler.js';

describe('checkSchedule', () => {
  it.each(['*/5 * * * *', '* * * * * *', '*/30 * * * * *', '0 8 * * 1-5', '@hourly'])(
    'accepts %s',
    (expr) => {
      expect(checkSchedule(expr)).toBeNull();
    },
  );

  it.each([
    ['* * * *', /expected 5 fields .* found 4/],
    ['1 2 3 4 5 6 7', /found 7/],
    ['61 * * * *', /not a valid cron expression: .*out of range/],
    ['*/0 * * * *', /step of zero/],
  ])('refuses %s', (expr, message) => {
    expect(checkSchedule(expr)).toMatch(message);
  });
});

// Scheduling logic only: fake timers stand in for the clock, nothing here touches a socket.
describe('cronScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00.500Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the first sweep at once, then on every tick', async () => {
    const starts: number[] = [];
    const scheduler = cronScheduler('* * * * * *');
    const done = scheduler.run(async () => {
      starts.push(Date.now());
    });
    expect(starts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(starts.map((t) => new Date(t).toISOString())).toEqual([
      '2030-01-01T00:00:00.500Z',
      '2030-01-01T00:00:01.000Z',
      '2030-01-01T00:00:02.000Z',
      '2030-01-01T00:00:03.000Z',
    ]);
    await scheduler.stop();
    await done;
    await vi.advanceTimersByTimeAsync(5000);
    expect(starts).toHaveLength(4);
  });

  it('skips ticks while a sweep runs, reports each, and tells the sweep how many', async () => {
    const skips: number[] = [];
    const ticks: Tick[] = [];
    let finish: () => void = () => {};
    const scheduler = cronScheduler('* * * * * *', { onSkip: (s) => skips.push(s.skipped) });
    void scheduler.run((tick) => {
      ticks.push(tick);
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    });
    await vi.advanceTimersByTimeAsync(3000);
    expect(ticks).toHaveLength(1);
    expect(skips).toEqual([1, 2, 3]);
    expect(ticks[0]?.skipped).toBe(3);
    finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(ticks).toHaveLength(2);
    expect(ticks[1]?.skipped).toBe(0);
    finish();
    await scheduler.stop();
  });

  it('stop() waits for the sweep in flight and starts no other', async () => {
    let finish: () => void = () => {};
    let runs = 0;
    const scheduler = cronScheduler('* * * * * *');
    const done = scheduler.run(() => {
      runs++;
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    });
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(2000);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await done;
    expect(runs).toBe(1);
  });

  it('runs 5-field expressions on the minute', async () => {
    const starts: string[] = [];
    const scheduler = cronScheduler('*/5 * * * *');
    void scheduler.run(async () => {
      starts.push(new Date().toISOString());
    });
    await vi.advanceTimersByTimeAsync(11 * 60_000);
    expect(starts).toEqual([
      '2030-01-01T00:00:00.500Z',
      '2030-01-01T00:05:00.000Z',
      '2030-01-01T00:10:00.000Z',
    ]);
    await scheduler.stop();
  });
});

describe('loopScheduler', () => {
  it('runs the task back to back, count times', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    await loopScheduler(5).run(async () => {
      running++;
      most = Math.max(most, running);
      runs++;
      await new Promise((resolve) => setImmediate(resolve));
      running--;
    });
    expect(runs).toBe(5);
    expect(most).toBe(1);
  });

  it('stops early on stop()', async () => {
    const scheduler = loopScheduler(1000);
    let runs = 0;
    await scheduler.run(async () => {
      runs++;
      if (runs === 3) void scheduler.stop();
    });
    expect(runs).toBe(3);
  });
});
