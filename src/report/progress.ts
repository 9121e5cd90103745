/** A one-line progress counter on a terminal's stderr, redrawn at most every 100 ms. */
export interface Progress {
  /** `ok` as in Result: null (unchecked) is counted as checked, not as down. */
  tick(ok: boolean | null): void;
  done(): void;
}

export function createProgress(
  stream: { write(text: string): unknown; isTTY?: boolean },
  total: number,
  enabled: boolean,
): Progress {
  if (!enabled || !stream.isTTY) return { tick() {}, done() {} };
  let checked = 0;
  let down = 0;
  // Not 0: performance.now() counts from the process's start, which a fast start-up puts under 100 ms at
  // the first result, and a short sweep would then never show its count.
  let last = Number.NEGATIVE_INFINITY;
  const draw = () => stream.write(`\r\x1b[Kchecked ${checked}/${total}${down ? `, ${down} down` : ''}`);
  return {
    tick(ok) {
      checked++;
      if (ok === false) down++;
      const now = performance.now();
      if (now - last >= 100) {
        last = now;
        draw();
      }
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
