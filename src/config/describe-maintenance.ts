/** The maintenance windows as `validate` lists them, each with its next occurrence. */

import { formatDuration } from '../util/duration.js';
import { nextOccurrence } from '../util/window-time.js';
import type { Config, MaintenanceWindow } from './types.js';

const iso = (ms: number) => new Date(ms).toISOString();

function windowLine(w: MaintenanceWindow, zone: string | null, now: number): string {
  const sites = w.sites === null ? 'every site' : w.sites.join(', ');
  const time = w.time;
  const when =
    'every' in time
      ? `every "${time.every}" for ${formatDuration(time.durationMs)} (${time.timeZone ?? zone ?? 'system time zone'})`
      : `from ${iso(time.start)} to ${iso(time.end)}`;
  const next = nextOccurrence(time, now, zone);
  const state =
    next === null
      ? 'over'
      : next.start <= now
        ? `on now, until ${iso(next.end)}`
        : `next ${iso(next.start)} to ${iso(next.end)}`;
  return `  maintenance "${w.name}" (${sites}): ${when}; ${state}`;
}

/** One line per window; the config's time zone first when it names one. */
export function maintenanceLines(config: Config, now: number): string[] {
  const zone = config.timeZone === null ? [] : [`time zone: ${config.timeZone}`];
  return [...zone, ...config.maintenance.map((w) => windowLine(w, config.timeZone, now))];
}
