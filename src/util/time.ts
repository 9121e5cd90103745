/** How durations are printed, the same everywhere: "850 ms", "1.5 s", "1h 2m 5s". */

/** 850 -> "850 ms", 1500 -> "1.5 s", 2000 -> "2 s". */

export function formatMs(ms: number): string {
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms)} ms`;
}

/** "2030-01-01T10:05:00.000Z" -> "2030-01-01 10:05Z": UTC to the minute, where seconds are noise. */
export function shortUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;
}

/** 3725000 -> "1h 2m 5s"; under a minute with one decimal of seconds at most. */
export function humanDuration(ms: number): string {
  if (ms < 60_000) return formatMs(ms);
  const total = Math.round(ms / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [d && `${d}d`, h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean);
  return parts.slice(0, 3).join(' ');
}
