import { SquirrelError } from '../../core/errors.js';
import { formatDuration } from '../../util/duration.js';

/**
 * Redis could not be used. `url` is always the redacted form (no password). The CLI prints the message
 * and exits 3 (EXIT.redis): the command line was fine, the service it names was not there.
 *
 * - US_ERR_REDIS_UNREACHABLE: no connection within the bound (refused, unknown host, timeout).
 * - US_ERR_REDIS_AUTH: the server answered but refused the credentials in the URL.
 * - US_ERR_REDIS_LOST: a sweep's connection failed and did not come back within the bound.
 */
export type RedisErrorCode = 'US_ERR_REDIS_UNREACHABLE' | 'US_ERR_REDIS_AUTH' | 'US_ERR_REDIS_LOST';

export class RedisError extends SquirrelError {
  readonly url: string;

  constructor(code: RedisErrorCode, url: string, detail: string, options?: { cause?: unknown }) {
    const what =
      code === 'US_ERR_REDIS_AUTH'
        ? `Redis at ${url} refused the credentials`
        : code === 'US_ERR_REDIS_LOST'
          ? `lost the connection to Redis at ${url}`
          : `cannot reach Redis at ${url}`;
    super(code, `${what}: ${detail}`, options);
    this.url = url;
  }
}

/**
 * No `uptime-squirrel worker` is connected to the queue, and none came within --wait-for-workers: said
 * within seconds instead of after the whole deadline. Exit 3 like the other queue faults: the command
 * line was fine, the deployment around it was not.
 */
export class NoWorkerError extends SquirrelError {
  readonly url: string;

  constructor(url: string, waitedMs: number, locations?: readonly string[]) {
    const where = locations === undefined ? '' : ` for any of the locations ${locations.join(', ')}`;
    const flag = locations === undefined ? '' : ` --location ${locations[0]}`;
    super(
      'US_ERR_QUEUE_NO_WORKER',
      `no worker is connected to ${url}${where}: start one with \`uptime-squirrel worker --redis ${url}${flag}\` ` +
        `(waited ${formatDuration(waitedMs)}; --wait-for-workers waits longer, for workers that start later)`,
    );
    this.url = url;
  }
}
