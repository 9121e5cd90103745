import type { Statement } from 'better-sqlite3';
import type { DB } from './open.js';

const caches = new WeakMap<DB, Map<string, Statement>>();

/**
 * A prepared statement, prepared once per connection. Statements run every sweep would otherwise be
 * prepared again each time, and their native memory freed only whenever V8 gets round to collecting them.
 * Each SQL text must always be used the same way (`.pluck()` and `.raw()` change the statement).
 */
export function sql(db: DB, text: string): Statement {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(text);
  if (statement === undefined) {
    statement = db.prepare(text);
    cache.set(text, statement);
  }
  return statement;
}
