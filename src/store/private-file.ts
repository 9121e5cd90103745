/**
 * The database and its -wal and -shm files are readable by their owner only (0600): they hold the
 * monitored URLs (redacted, but still a map of what is watched), incidents and outgoing messages.
 */

import { chmodSync, closeSync, constants, fchmodSync, openSync, statSync } from 'node:fs';
import { StoreError } from './errors.js';

const PRIVATE = 0o600;
const OTHERS_READ = 0o044;

/**
 * Creates the empty database file with mode 0600. The mode is set again after creation, because
 * open(2) applies the umask to the mode it is given. A file that appeared meanwhile is left as it is.
 * @throws StoreError US_ERR_DB_OPEN when the file cannot be created (no such folder, no permission)
 */
export function createPrivate(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, PRIVATE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw new StoreError(
      'US_ERR_DB_OPEN',
      file,
      `Cannot open the database ${file}: ${(error as Error).message}.`,
      {
        cause: error,
      },
    );
  }
  try {
    fchmodSync(fd, PRIVATE);
  } finally {
    closeSync(fd);
  }
}

/** The file's mode ("0644") when group or others may read it; null when only its owner can. */
export function othersCanRead(file: string): string | null {
  const mode = statSync(file).mode & 0o777;
  return mode & OTHERS_READ ? `0${mode.toString(8)}` : null;
}

/**
 * SQLite creates the -wal and -shm files with the main file's mode; should anything have made them
 * readable by others all the same (an older version, a copy), they are narrowed to 0600.
 */
export function keepSidecarsPrivate(file: string): void {
  for (const sidecar of [`${file}-wal`, `${file}-shm`]) {
    try {
      if (statSync(sidecar).mode & 0o077) chmodSync(sidecar, PRIVATE);
    } catch (error) {
      // Not there (no write yet, or a file system without shared memory): nothing to narrow.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
