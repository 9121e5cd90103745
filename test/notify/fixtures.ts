import { expect } from 'vitest';
import type { SweepSummary, WatchEvent } from '../../src/core/events.js';
import type { Cause } from '../../src/core/state.js';
import { NotifyError } from '../../src/notify/errors.js';

let nextId = 1;

export const T0 = Date.parse('2024-05-01T10:00:00.000Z');
export const iso = (ms: number) => new Date(ms).toISOString();

export function site(n: number, name: string | null = `Site ${n}`) {
  return { key: `key-${n}`, url: `https://site-${n}.example.com/health`, name };
}

const cause500: Cause = { kind: 'http-status', status: 500, message: 'HTTP 500, expected 200-399' };

/** A stored event as the daemon raises it. */
export function event(type: WatchEvent['type'], overrides: Partial<WatchEvent> = {}): WatchEvent {
  const base: WatchEvent = {
    id: nextId++,
    sweepId: 1,
    type,
    at: iso(T0),
    site: type.startsWith('monitor') ? null : site(1),
    incidentId: type.startsWith('monitor') ? null : 1,
    cause: type === 'up' || type.startsWith('monitor') ? null : cause500,
    downSince: type === 'down' || type === 'still-down' || type === 'up' ? iso(T0) : null,
    downForMs: null,
    failed: null,
    checked: null,
  };
  return { ...base, ...overrides };
}

export function down(n: number, at = T0, extra: Partial<WatchEvent> = {}): WatchEvent {
  return event('down', { site: site(n), incidentId: n, at: iso(at), downSince: iso(at), ...extra });
}

export function up(n: number, since: number, at: number, extra: Partial<WatchEvent> = {}): WatchEvent {
  return event('up', {
    site: site(n),
    incidentId: n,
    at: iso(at),
    downSince: iso(since),
    downForMs: at - since,
    cause: cause500,
    ...extra,
  });
}

export function sweepSummary(id = 1): SweepSummary {
  return {
    id,
    startedAt: iso(T0),
    finishedAt: iso(T0 + 1000),
    sites: 4,
    checked: 4,
    up: 1,
    down: 3,
    outcome: 'ok',
    aborted: false,
    skippedTicks: 0,
  };
}

/** The NotifyError a send rejected with; fails the test when the send succeeded or threw something else. */
export async function rejection(promise: Promise<unknown>): Promise<NotifyError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(NotifyError);
    return error as NotifyError;
  }
  throw new Error('the send succeeded');
}
