import { UsageError } from '../core/errors.js';
import { configureQueue, queueOptions } from './queue/options.js';
import { DEFAULT_DEADLINE_MS, DEFAULT_WAIT_FOR_WORKERS_MS } from './queue/settings.js';
import type { Strategy } from './types.js';

/** BullMQ on Redis: this process enqueues and collects; `uptime-squirrel worker` processes check. */
export const queueStrategy: Strategy = {
  description:
    'batches on a Redis queue (--redis), checked by `uptime-squirrel worker` processes on any machine; ' +
    'sites without a result by --deadline are unchecked',
  leavesUnchecked: true,
  options: queueOptions,
  configure: configureQueue,
  async run(sites, ctx) {
    if (ctx.redisUrl === undefined) {
      throw new UsageError('--mode queue needs --redis URL: the Redis server the workers take batches from.');
    }
    // Loaded on use: BullMQ and ioredis would add ~300 ms to the start of every other command.
    const { runQueueSweep } = await import('./queue/coordinator.js');
    return runQueueSweep(sites, ctx, {
      redisUrl: ctx.redisUrl,
      deadlineMs: ctx.deadlineMs ?? DEFAULT_DEADLINE_MS,
      waitForWorkersMs: ctx.waitForWorkersMs ?? DEFAULT_WAIT_FOR_WORKERS_MS,
      locations: ctx.locations,
      quorum: ctx.quorum,
    });
  },
};
