/**
 * Peak memory of a long sweep (issue 12): while requests stay in flight, V8 doubles the young generation
 * up to 2 x 16 MB, and that alone was a quarter of a 10,000-site sweep's peak RSS. A node flag
 * (--max-semi-space-size) would have to be on node's command line, which a shebang can only carry through
 * `env -S` (busybox, as on Alpine, lacks it). Instead, once the young generation has grown to 2 x 4 MB,
 * it grows no more: V8 reads its growth factor each time it grows. Only for a long site list: node:v8
 * costs ~4 ms to load, which a short list's start-up does not pay.
 */

import { stat } from 'node:fs/promises';

const CAP_BYTES = 8 * 1024 * 1024;
/** A config file this long (about 1,300 sites) or longer is worth it. */
const LONG_LIST_BYTES = 64 * 1024;
let capping = false;

/**
 * For a config file of LONG_LIST_BYTES or more: the young generation grows no further until the returned
 * function is called, then up to CAP_BYTES (both semi-spaces) and no further. Call it before loading the
 * config (a long synchronous step) and the returned function after: the check that stops the growth runs
 * after a garbage collection, when the event loop turns, which a synchronous step would outrun. Once per
 * process; later calls, short lists and unreadable files change nothing.
 */
export async function capYoungGeneration(file: string): Promise<() => void> {
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (capping || size < LONG_LIST_BYTES) return () => {};
  capping = true;
  const [{ getHeapSpaceStatistics, setFlagsFromString }, { PerformanceObserver }] = await Promise.all([
    import('node:v8'),
    import('node:perf_hooks'),
  ]);
  const youngGenerationBytes = () =>
    getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
  setFlagsFromString('--semi-space-growth-factor=1');
  return () => {
    if (youngGenerationBytes() >= CAP_BYTES) return;
    setFlagsFromString('--semi-space-growth-factor=2');
    const observer = new PerformanceObserver(() => {
      if (youngGenerationBytes() < CAP_BYTES) return;
      setFlagsFromString('--semi-space-growth-factor=1');
      observer.disconnect();
    });
    observer.observe({ entryTypes: ['gc'] });
  };
}
