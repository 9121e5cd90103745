import type { OutStream } from '../../../src/core/io.js';

/** A stream that keeps what was written, line by line, and can wait for a line. */
export interface Capture extends OutStream {
  readonly text: string;
  lines(): string[];
  /** Resolves with the first line (already written or to come) that matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

export function capture(): Capture {
  let text = '';
  let waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const find = (pattern: RegExp) => text.split('\n').find((line) => pattern.test(line));
  return {
    get text() {
      return text;
    },
    write(chunk: string) {
      text += chunk;
      waiters = waiters.filter((w) => {
        const line = find(w.pattern);
        if (line !== undefined) w.resolve(line);
        return line === undefined;
      });
      return true;
    },
    lines: () => text.split('\n').filter(Boolean),
    waitFor(pattern, timeoutMs = 5000) {
      const line = find(pattern);
      if (line !== undefined) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${text}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
      });
    },
  };
}
