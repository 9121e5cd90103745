import type { OutStream } from '../../../src/core/io.js';

/** A stream that keeps what was written, line by line, and can wait for what is written. */
export interface Capture extends OutStream {
  readonly text: string;
  lines(): string[];
  /** Resolves with the first line (already written or to come) that matches; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /**
   * Resolves once `check` holds for the lines written so far, looked at after every write; rejects after
   * `timeoutMs`, saying `what` was awaited and what was written.
   */
  waitUntil<T>(check: (lines: string[]) => T | undefined, what: string, timeoutMs?: number): Promise<T>;
}

export function capture(): Capture {
  let text = '';
  let waiters: Array<() => boolean> = [];
  const lines = () => text.split('\n').filter(Boolean);
  const self: Capture = {
    get text() {
      return text;
    },
    write(chunk: string) {
      text += chunk;
      waiters = waiters.filter((settled) => !settled());
      return true;
    },
    lines,
    waitFor(pattern, timeoutMs = 5000) {
      return self.waitUntil(
        (all) => all.find((line) => pattern.test(line)),
        `a line matching ${pattern}`,
        timeoutMs,
      );
    },
    waitUntil(check, what, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const settled = () => {
          const found = check(lines());
          if (found === undefined) return false;
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== settled);
          reject(new Error(`no ${what} within ${timeoutMs} ms:\n${text}`));
        }, timeoutMs);
        if (!settled()) waiters.push(settled);
      });
    },
  };
  return self;
}
