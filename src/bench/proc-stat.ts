import { readFileSync } from 'node:fs';

/** Linux: CPU times in /proc/PID/stat are in clock ticks, 100 per second on every common kernel. */
const TICKS_PER_S = 100;

/** utime + stime of a live process in ms, from /proc (null elsewhere or once it is gone). */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_S) * 1000;
  } catch {
    return null;
  }
}

/** The peak RSS of a live process in MB (VmHWM), NaN when it cannot be read. */
export function processPeakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN) / 1024;
  } catch {
    return Number.NaN;
  }
}
