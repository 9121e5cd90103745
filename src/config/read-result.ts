/** What reading a config file's text gives, whatever its format: the data, or the problems that stopped it. */

import type { ConfigProblem } from '../core/errors.js';

/** Line and column (from 1) of a place in the file. */
export interface Position {
  line: number;
  column: number;
}

/** Where the value at a path (`["sites", 2, "timeoutMs"]`) was written; undefined where unknown. */
export type Locate = (path: readonly PropertyKey[]) => Position | undefined;

export type ReadText =
  | {
      ok: true;
      value: unknown;
      /** Present when the format keeps track of positions (YAML). */
      locate?: Locate;
    }
  | { ok: false; problems: ConfigProblem[]; cause?: unknown };
