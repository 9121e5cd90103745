import { SquirrelError } from '../core/errors.js';

/**
 * The database cannot be used as it is. Every message names the file and says what to do; nothing in
 * the file has been changed when one of these is thrown.
 */
export type StoreErrorCode =
  | 'US_ERR_DB_OPEN'
  | 'US_ERR_DB_MISSING'
  | 'US_ERR_DB_CORRUPT'
  | 'US_ERR_DB_FOREIGN'
  | 'US_ERR_DB_NEWER'
  | 'US_ERR_DB_OLDER'
  | 'US_ERR_DB_LOCKED'
  | 'US_ERR_DB_LOCK_LOST'
  | 'US_ERR_DB_IO';

export class StoreError extends SquirrelError {
  override readonly code: StoreErrorCode;
  readonly file: string;

  constructor(code: StoreErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.code = code;
    this.file = file;
  }
}

const CORRUPT = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_VTAB']);

export function corruptError(file: string, cause: unknown): StoreError {
  return new StoreError(
    'US_ERR_DB_CORRUPT',
    file,
    `The database ${file} is corrupt (${(cause as Error).message}). Nothing was written to it. Move it aside ` +
      '(keep it for `sqlite3 FILE .recover`) and start again with a new --db file; the history in it is lost to the monitor.',
    { cause },
  );
}

/**
 * A SQLite failure met while using the database, as a StoreError that names the file: corruption gets
 * its own code and advice, anything else (disk full, permissions) says what SQLite said.
 */
export function asStoreError(file: string, error: unknown): unknown {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  if (CORRUPT.has(code)) return corruptError(file, error);
  return new StoreError(
    'US_ERR_DB_IO',
    file,
    `Cannot use the database ${file}: ${(error as Error).message} (${code}).`,
    { cause: error },
  );
}
