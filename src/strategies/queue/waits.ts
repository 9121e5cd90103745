import { AbortedError } from '../../core/errors.js';

/** Unref'd: a bound on cleaning up must not itself keep the process alive. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * `work`, or AbortedError as soon as `signal` aborts: a Redis that stopped answering (but kept the
 * connection) must not keep a Ctrl-C waiting.
 */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) return Promise.reject(new AbortedError());
  let onAbort = () => {};
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
