import { Redis } from 'ioredis';
import { redactUrl } from '../../util/redact.js';
import { RedisError } from './errors.js';

/**
 * One ioredis client, connected or refused quickly. ioredis reconnects forever by default, so a wrong
 * --redis would hang a `check`; here the first connection is bounded, and only an established client
 * goes on reconnecting (a worker rides out a Redis restart; a sweep gives up after REDIS_LOST_MS).
 */

export interface ConnectOptions {
  /** Shown in CLIENT LIST, so `redis-cli client list` tells the coordinators and workers apart. */
  name: string;
  /**
   * Commands wait for a reconnect instead of failing (maxRetriesPerRequest: null). BullMQ requires it
   * of a Worker's connection; a coordinator wants failures, to give up at its bound.
   */
  waitOutOutages?: boolean;
  /** Bound on the first connection; default CONNECT_TIMEOUT_MS. */
  connectTimeoutMs?: number;
  /** Told of connection errors once connected (a worker logs them); commands fail or wait regardless. */
  onError?: (err: Error) => void;
}

/** A Redis that has not answered in 5 s is not going to answer a sweep in time either. */
export const CONNECT_TIMEOUT_MS = 5000;
/** Refused or unknown host this many times in a row at start: not a blip, give up at once. */
const FAILED_ATTEMPTS = 3;

/** The URL as it may be printed: `redis://user:password@host` becomes `redis://***@host`. */
export function redactRedisUrl(url: string): string {
  return redactUrl(url);
}

function isAuthError(err: Error): boolean {
  return /NOAUTH|WRONGPASS|invalid password|invalid username-password/i.test(err.message);
}

export async function connectRedis(url: string, opts: ConnectOptions): Promise<Redis> {
  const shown = redactRedisUrl(url);
  const timeoutMs = opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const client = new Redis(url, {
    lazyConnect: true,
    connectionName: opts.name,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: opts.waitOutOutages ? null : 2,
    // Quick first retries, then every 2 s: a restarted Redis is found again within seconds.
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
    // After a failed ready check ioredis closes an already closed socket and waits 2 s (default) for a
    // 'close' that never comes, keeping a failed `check` alive that long.
    disconnectTimeout: 200,
  });
  let lastError: Error | null = null;
  let failures = 0;
  // Without a listener ioredis prints every failed reconnect; callers add their own after connecting.
  const onError = (err: Error) => {
    lastError = err;
    failures++;
  };
  client.on('error', onError);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new RedisError('US_ERR_REDIS_UNREACHABLE', shown, describe(lastError, timeoutMs))),
        timeoutMs,
      );
      const settle = (err: RedisError | null) => {
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('error', onFailure);
        if (err) reject(err);
        else resolve();
      };
      const onReady = () => settle(null);
      const onFailure = (err: Error) => {
        if (isAuthError(err)) settle(new RedisError('US_ERR_REDIS_AUTH', shown, err.message, { cause: err }));
        else if (failures >= FAILED_ATTEMPTS)
          settle(new RedisError('US_ERR_REDIS_UNREACHABLE', shown, err.message, { cause: err }));
      };
      client.once('ready', onReady);
      client.on('error', onFailure);
      // The outcome arrives as the events above; the promise only repeats it.
      client.connect().catch(() => {});
    });
  } catch (err) {
    hangUp(client);
    throw err;
  }
  // ioredis prints errors nobody listens to; ours surface as failed commands, or in the caller's log.
  client.off('error', onError);
  client.on('error', opts.onError ?? (() => {}));
  return client;
}

function describe(err: Error | null, timeoutMs: number): string {
  const waited = `no connection within ${timeoutMs / 1000} s`;
  return err ? `${waited} (${err.message})` : waited;
}

/**
 * disconnect() only half-closes the socket: a server that accepted and never answers would keep it,
 * and the process, alive until the kernel gives up.
 */
function hangUp(client: Redis): void {
  client.stream?.destroy();
  client.disconnect();
}

/** Close politely, and give up on politeness if Redis is gone (QUIT would wait for a reconnect). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    hangUp(client);
    return;
  }
  try {
    await Promise.race([client.quit(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  } catch {
    // Already closing.
  }
  client.disconnect();
}
