import type { SparkCell } from '../store/uptime-report.js';

const BARS = '▁▂▃▄▅▆▇█';
/** A cell whose only checks were taken while the monitor was offline: a gap, neither up nor down. */
export const OFFLINE_MARK = '·';

/**
 * One character per cell: a bar for the mean response time (scaled between the row's fastest and
 * slowest cell), `×` when every check in the cell failed, `·` when the monitor was offline for all
 * the cell's checks, a space when there were no checks.
 */
export function sparkline(cells: readonly SparkCell[]): string {
  const means = cells.map((c) => c.meanMs).filter((m): m is number => m !== null);
  const low = Math.min(...means);
  const high = Math.max(...means);
  return cells
    .map((cell) => {
      if (cell.meanMs === null) return cell.checks > 0 ? '×' : cell.offline > 0 ? OFFLINE_MARK : ' ';
      if (high === low) return BARS[0];
      const level = Math.round(((cell.meanMs - low) / (high - low)) * (BARS.length - 1));
      return BARS[level];
    })
    .join('');
}
