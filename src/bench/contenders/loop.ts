import { readFileSync } from 'node:fs';

/**
 * What every bare-loop contender shares, and nothing else: these processes are measured whole, start-up
 * included, so they load node's own modules (and undici, for its loop) and no code of ours.
 *
 * Command line of every loop: `<urls file> <concurrency> <timeout ms>`; the URLs one a line. Output: one
 * JSON line, `LoopReport`.
 */
export interface LoopReport {
  checks: number;
  up: number;
  /** Median of the response times the loop measured itself (request start to response head). */
  medianMs: number;
}

export interface LoopArgs {
  urls: string[];
  concurrency: number;
  timeoutMs: number;
}

export function loopArgs(argv: readonly string[] = process.argv.slice(2)): LoopArgs {
  const [file, concurrency, timeout] = argv;
  if (!file) throw new Error('usage: <urls file> <concurrency> <timeout ms>');
  return {
    urls: readFileSync(file, 'utf8').split('\n').filter(Boolean),
    concurrency: Number(concurrency ?? 100),
    timeoutMs: Number(timeout ?? 5000),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** One check of one URL: whether it was up and how long it took to the response head. */
export type Check = (url: string) => Promise<{ ok: boolean; ms: number }>;

/** Check every URL with at most `concurrency` in flight, then print the report. */
export async function runLoop({ urls, concurrency }: LoopArgs, check: Check): Promise<void> {
  const times: number[] = [];
  let up = 0;
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, urls.length) }, async () => {
    while (next < urls.length) {
      const r = await check(urls[next++] as string);
      times.push(r.ms);
      if (r.ok) up++;
    }
  });
  await Promise.all(lanes);
  const report: LoopReport = { checks: urls.length, up, medianMs: Math.round(median(times) * 100) / 100 };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
