import { describe, expect, it } from 'vitest';
import type { SweepSummary, WatchEvent } from '../../src/core/events.js';
import { describeCause } from '../../src/util/describe.js';
import { humanDuration } from '../../src/util/time.js';
import { createLogger } from '../../src/watch/log.js';
import { capture } from './helpers/capture.js';

const T = Date.parse('2030-01-01T10:05:00.412Z');
const clock = () => T;

const SWEEP: SweepSummary = {
  id: 12,
  startedAt: '2030-01-01T10:04:58.612Z',
  finishedAt: '2030-01-01T10:05:00.412Z',
  sites: 1000,
  checked: 1000,
  up: 998,
  down: 2,
  outcome: 'ok',
  aborted: false,
  skippedTicks: 0,
};

const DOWN: WatchEvent = {
  id: 7,
  sweepId: 12,
  type: 'down',
  at: '2030-01-01T10:05:00.000Z',
  site: { key: 'k', url: 'https://api.example.com/health', name: 'API' },
  incidentId: 3,
  cause: { kind: 'http-status', status: 503, message: 'HTTP 503, expected 200-399' },
  downSince: '2030-01-01T10:05:00.000Z',
  downForMs: null,
  failed: null,
  checked: null,
};

function lines(format: 'text' | 'json', write: (log: ReturnType<typeof createLogger>) => void): string[] {
  const out = capture();
  write(createLogger(out, format, clock));
  return out.lines();
}

describe('the daemon log', () => {
  it('text: one line per sweep with UTC time, counts, duration and skipped ticks', () => {
    expect(lines('text', (l) => l.sweep(SWEEP))).toEqual([
      '2030-01-01T10:05:00.412Z sweep #12: 998 up, 2 down (1000 sites) in 1.8 s, 0 ticks skipped',
    ]);
    expect(
      lines('text', (l) =>
        l.sweep({
          ...SWEEP,
          checked: 10,
          up: 0,
          down: 10,
          outcome: 'monitor-offline',
          aborted: true,
          skippedTicks: 1,
        }),
      ),
    ).toEqual([
      '2030-01-01T10:05:00.412Z sweep #12: 0 up, 10 down (10 of 1000 sites checked) in 1.8 s, 1 tick skipped; ' +
        'monitor offline: no site changed state; aborted: unfinished checks not recorded',
    ]);
  });

  it('text: one line per event, saying what happened to which site and why', () => {
    const events: WatchEvent[] = [
      DOWN,
      {
        ...DOWN,
        type: 'still-down',
        downForMs: 3_725_000,
        cause: { kind: 'timeout', status: null, message: 'no answer within 10 s' },
      },
      { ...DOWN, type: 'up', downForMs: 900_000, site: { key: 'k', url: 'https://x.example/', name: null } },
      {
        ...DOWN,
        type: 'monitor-offline',
        site: null,
        incidentId: null,
        cause: null,
        failed: 8,
        checked: 8,
        kinds: { refused: 3, dns: 5 },
      },
      // Stored before the kinds were: says less.
      { ...DOWN, type: 'monitor-offline', site: null, incidentId: null, cause: null, failed: 9, checked: 10 },
      { ...DOWN, type: 'monitor-online', site: null, incidentId: null, cause: null, downForMs: 125_000 },
    ];
    expect(
      lines('text', (l) => {
        for (const e of events) l.event(e);
      }),
    ).toEqual([
      '2030-01-01T10:05:00.412Z WARN DOWN API (https://api.example.com/health): HTTP 503, expected 200-399',
      '2030-01-01T10:05:00.412Z WARN STILL DOWN API (https://api.example.com/health) for 1h 2m 5s: timeout: no answer within 10 s',
      '2030-01-01T10:05:00.412Z UP https://x.example/ after 15m down',
      "2030-01-01T10:05:00.412Z WARN MONITOR OFFLINE: 8 of 8 checks got no response (5 dns, 3 refused); the monitor's own network is the likely culprit, so no site changes state until it is back",
      "2030-01-01T10:05:00.412Z WARN MONITOR OFFLINE: 9 of 10 checks got no response; the monitor's own network is the likely culprit, so no site changes state until it is back",
      '2030-01-01T10:05:00.412Z MONITOR ONLINE again after 2m 5s',
    ]);
  });

  it('json: one object per line with the same facts under stable names', () => {
    const out = lines('json', (l) => {
      l.sweep(SWEEP);
      l.event(DOWN);
      l.skipped({ skipped: 2, runningForMs: 7200 });
      l.error('config reload failed', { code: 'US_ERR_CONFIG' });
    });
    expect(out.map((line) => JSON.parse(line))).toEqual([
      { time: '2030-01-01T10:05:00.412Z', level: 'info', msg: 'sweep', sweep: SWEEP },
      { time: '2030-01-01T10:05:00.412Z', level: 'warn', msg: 'event', event: DOWN },
      {
        time: '2030-01-01T10:05:00.412Z',
        level: 'warn',
        msg: 'tick skipped',
        skipped: 2,
        runningForMs: 7200,
      },
      {
        time: '2030-01-01T10:05:00.412Z',
        level: 'error',
        msg: 'config reload failed',
        code: 'US_ERR_CONFIG',
      },
    ]);
  });

  it('text: a skipped tick is a warning with how long the sweep has run', () => {
    expect(lines('text', (l) => l.skipped({ skipped: 1, runningForMs: 7200 }))).toEqual([
      '2030-01-01T10:05:00.412Z WARN tick skipped: the sweep in flight has run for 7.2 s (1 skipped so far)',
    ]);
  });
});

describe('humanDuration and describeCause', () => {
  it.each([
    [450, '450 ms'],
    [1500, '1.5 s'],
    [60_000, '1m'],
    [3_725_000, '1h 2m 5s'],
    [90_061_000, '1d 1h 1m'],
  ])('%i ms -> %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('gives a status failure its own message and other kinds their name first', () => {
    expect(describeCause({ kind: 'http-status', status: 500, message: 'HTTP 500, expected 200-399' })).toBe(
      'HTTP 500, expected 200-399',
    );
    expect(describeCause({ kind: 'http-status', status: 500, message: null })).toBe('HTTP 500');
    expect(describeCause({ kind: 'dns', status: null, message: 'host not found' })).toBe(
      'dns: host not found',
    );
    expect(describeCause({ kind: 'reset', status: null, message: null })).toBe('reset');
    expect(describeCause(null)).toBe('unknown cause');
  });
});
