import type { Database } from 'better-sqlite3';

/**
 * One numbered schema change (migrations.ts lists them all). Its own file so that a migration kept in a
 * file of its own (outbox-migration.ts) can name the type without importing the list that imports it.
 */
export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}
