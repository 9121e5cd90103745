import pLimit from 'p-limit';

/**
 * Run `fn` over every item with at most `concurrency` calls in flight (p-limit), and results in
 * input order. Tasks are handed to p-limit a window at a time rather than all up front: 10,000
 * queued closures and promises would live long enough to be promoted to V8's old space and then
 * linger as garbage, which was most of the sweep's peak RSS (docs/BENCHMARKS.md).
 */
export function mapBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const limit = pLimit(concurrency);
  const results = new Array<R>(items.length);
  const window = concurrency * 2;
  let next = 0;
  let done = 0;
  return new Promise<R[]>((resolve, reject) => {
    if (items.length === 0) return resolve(results);
    let failed = false;
    const feed = () => {
      while (!failed && next < items.length && next - done < window) {
        const index = next++;
        limit(() => fn(items[index] as T, index)).then(
          (value) => {
            results[index] = value;
            done++;
            if (done === items.length) resolve(results);
            else feed();
          },
          (err: unknown) => {
            if (failed) return;
            failed = true;
            limit.clearQueue();
            reject(err);
          },
        );
      }
    };
    if (signal?.aborted) return reject(signal.reason);
    feed();
  });
}
