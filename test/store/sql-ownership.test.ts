/**
 * The store owns all SQL (issue 9): only src/store/ opens SQLite, prepares statements or sets pragmas,
 * and notify works against the outbox interface without ever holding a database handle. The direction
 * test (test/architecture) checks which stage imports which; this one checks what they do with SQLite.
 */

import { describe, expect, it } from 'vitest';
import { readSources } from '../helpers/source-files.js';

const files = readSources();
const outsideStore = files.filter((f) => !f.name.startsWith('store/'));

/** `file:line: text` for every line of `within` that matches. */
function lines(within: typeof files, pattern: RegExp): string[] {
  return within.flatMap((f) =>
    f.text
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${f.name}:${i + 1}: ${line.trim()}`] : [])),
  );
}

const IMPORTS_SQLITE = /from 'better-sqlite3'|import\('better-sqlite3'\)/;
const RUNS_SQL = /\.(prepare|pragma)\(|\.db\.(exec|transaction)\(/;
const HOLDS_DB = /\b(Database|DB)\b|\.db\b|store\/(open|statements)\.js/;

describe('the store owns all SQL', () => {
  it('the checks see the store doing it (they can fail)', () => {
    const store = files.filter((f) => f.name.startsWith('store/'));
    expect(lines(store, IMPORTS_SQLITE).length).toBeGreaterThan(0);
    expect(lines(store, RUNS_SQL).length).toBeGreaterThan(0);
    expect(lines(store, HOLDS_DB).length).toBeGreaterThan(0);
  });

  it('no file outside src/store/ imports better-sqlite3', () => {
    expect(lines(outsideStore, IMPORTS_SQLITE)).toEqual([]);
  });

  it('no file outside src/store/ prepares a statement or sets a pragma', () => {
    expect(lines(outsideStore, RUNS_SQL)).toEqual([]);
  });

  it('nothing under src/notify/ holds a database handle: it works against the outbox interface', () => {
    const notify = files.filter((f) => f.name.startsWith('notify/'));
    expect(notify.length).toBeGreaterThan(5);
    expect(lines(notify, HOLDS_DB)).toEqual([]);
  });
});
