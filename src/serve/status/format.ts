/** How the page and the badges print numbers and times: alike, and never rounding an outage away. */

/** "99.95%": two decimals at most, cut rather than rounded so that 99.999% never reads as 100%. */
export function formatPct(pct: number): string {
  return `${Math.floor(pct * 100 + 1e-9) / 100}%`;
}

/** "2030-01-01 10:05Z": UTC to the minute, as `report` prints times. */
export { shortUtc as formatTime } from '../../util/time.js';
