/**
 * The daemon's log on stderr: one line per sweep and one per event, each starting with the UTC time.
 * `json` writes one JSON object per line for log shippers, with the same facts under stable names.
 */

import type { OutStream } from '../core/io.js';
import type { Level, LogFormat, WatchLogger } from '../core/logger.js';
import { describeEvent, describeSweep } from '../util/describe.js';
import { formatMs } from '../util/time.js';

/** Events that are good news, logged as info; the others are warnings. */
const QUIET_EVENTS: ReadonlySet<string> = new Set(['up', 'monitor-online', 'recovered', 'cert-renewed']);

export function createLogger(
  stream: OutStream,
  format: LogFormat,
  clock: () => number = Date.now,
): WatchLogger {
  const time = () => new Date(clock()).toISOString();
  const write = (level: Level, text: string, json: Record<string, unknown>) => {
    if (format === 'json') stream.write(`${JSON.stringify({ time: time(), level, ...json })}\n`);
    else stream.write(`${time()} ${level === 'info' ? '' : `${level.toUpperCase()} `}${text}\n`);
  };
  const plain =
    (level: Level) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      write(level, message, { msg: message, ...fields });
  return {
    info: plain('info'),
    warn: plain('warn'),
    error: plain('error'),
    sweep: (sweep) => write('info', describeSweep(sweep), { msg: 'sweep', sweep }),
    event: (event) =>
      write(QUIET_EVENTS.has(event.type) ? 'info' : 'warn', describeEvent(event), {
        msg: 'event',
        event,
      }),
    skipped: (skip) =>
      write(
        'warn',
        `tick skipped: the sweep in flight has run for ${formatMs(skip.runningForMs)} (${skip.skipped} skipped so far)`,
        { msg: 'tick skipped', ...skip },
      ),
  };
}
