/**
 * Peak memory of a long sweep (issue 12): while requests stay in flight, V8 doubles the young generation
 * up to 2 x 16 MB, and that alone was a quarter of a 10,000-site sweep's peak RSS. A node flag
 * (--max-semi-space-size) would have to be on node's command line, which a shebang can only carry through
 * `env -S` (busybox, as on Alpine, lacks it). Instead, once the young generation has grown to 2 x 4 MB,
 * it grows no more: V8 reads its growth factor each time it grows. A run that allocates little never
 * gets there and changes nothing. Called by the commands that sweep, not at start-up.
 */

import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

const CAP_BYTES = 8 * 1024 * 1024;
let capping = false;

const youngGenerationBytes = () =>
  getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;

/**
 * The young generation grows no further until the returned function is called, then up to CAP_BYTES
 * (both semi-spaces) and no further. Call it before a long synchronous step (loading a large config) and
 * the returned function after: the check that stops the growth runs after a garbage collection, when
 * the event loop turns, which a synchronous step would outrun. Once per process; later calls do nothing.
 */
export function capYoungGeneration(): () => void {
  if (capping) return () => {};
  capping = true;
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
