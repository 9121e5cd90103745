/** Durations as people type them on the command line ("500ms", "10s", "1.5m") and as we print them. */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

// A bare number means milliseconds, the unit of every *Ms option in the config.
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/;

/**
 * Milliseconds for "500", "500ms", "10s", "1.5s", "2m", "1h" or "1d"; null for anything else (negative,
 * empty, unknown unit, or a fraction of a millisecond), so the caller can word its own usage error.
 */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (match === null) return null;
  const unit = (match[2] ?? 'ms') as Unit;
  const exact = Number(match[1]) * UNIT_MS[unit];
  const ms = Math.round(exact);
  // Tolerance for binary fractions such as 1.1 * 1000; a real sub-millisecond part is refused, not rounded.
  if (Math.abs(exact - ms) > 1e-6 || !Number.isSafeInteger(ms)) return null;
  return ms;
}

/**
 * Bare numbers (no unit) below this are refused where a duration is asked for: "--timeout 5" or
 * `"timeoutMs": 5` is far likelier a slip for 5 s than a wish for 5 ms, which fails every site. Written
 * with a unit ("5ms") the value means exactly what it says.
 */
export const BARE_MS_MIN = 100;

/**
 * The hint for a bare number of milliseconds from 1 to BARE_MS_MIN - 1 ("5" or 5), else null: "5 ms is
 * too short for a web request: did you mean 5s?". `quote` wraps the spellings (JSON wants `"5s"`). Zero is
 * left to the caller's range check: it cannot be a slip for seconds.
 */
export function bareMsHint(value: string | number, quote = ''): string | null {
  const text = String(value).trim();
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  if (n === 0 || n >= BARE_MS_MIN) return null;
  return `${n} ms is too short for a web request: did you mean ${quote}${n}s${quote}? (write ${quote}${n}ms${quote} to mean ${n} ms)`;
}

/** The shortest exact spelling of a duration: 500 -> "500ms", 1500 -> "1.5s", 120000 -> "2m". */
export function formatDuration(ms: number): string {
  if (ms >= UNIT_MS.h && ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  if (ms >= UNIT_MS.m && ms % UNIT_MS.m === 0) return `${ms / UNIT_MS.m}m`;
  if (ms >= UNIT_MS.s) return `${ms / UNIT_MS.s}s`;
  return `${ms}ms`;
}

/** As formatDuration, in whole days from two days up: 7_776_000_000 -> "90d"; one day stays "24h". */
export function formatDays(ms: number): string {
  return ms >= 2 * UNIT_MS.d && ms % UNIT_MS.d === 0 ? `${ms / UNIT_MS.d}d` : formatDuration(ms);
}
