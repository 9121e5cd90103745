import Database from 'better-sqlite3';

/** Rows of one query on the database a daemon wrote, through a read-only connection closed at once. */
export function queryDb<T>(file: string, sql: string): T[] {
  const conn = new Database(file, { readonly: true });
  try {
    return conn.prepare(sql).all() as T[];
  } finally {
    conn.close();
  }
}
