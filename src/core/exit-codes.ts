/**
 * Exit codes, documented in the README's exit-code table. Only src/cli.ts and the command actions it
 * runs use them; an error's exit code comes from its code in the catalogue (core/errors.ts).
 *
 * A script can tell the faults apart: 2 is the caller's to fix (command line, config), 3 and 4 name the
 * service that failed (Redis, the SQLite file), 70 is ours (sysexits.h EX_SOFTWARE: please report it).
 */
export const EXIT = {
  ok: 0,
  /** At least one site down or unchecked; a channel failed (notify-test). */
  down: 1,
  usage: 2,
  /** Queue mode: Redis unreachable, refusing the credentials, or lost. */
  redis: 3,
  /** The SQLite database cannot be used. */
  store: 4,
  internal: 70,
  /** 128 + SIGINT, as shells report a process stopped by Ctrl-C. */
  interrupted: 130,
  /** 128 + SIGTERM, as shells report a process stopped by `kill`. */
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
