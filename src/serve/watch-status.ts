/**
 * `watch --listen` (or the config's `"server": { "listen" }`): the status server as an observer of the
 * daemon. It starts once the daemon has its config and database (a port in use stops the start, naming
 * the address), takes every committed sweep, follows config reloads, and stops with the daemon.
 */

import type { Config } from '../config/types.js';
import type { WatchLogger } from '../core/logger.js';
import { isLoopback, type ListenAt, parseListen } from '../util/listen.js';
import { formatAddress } from './http/server.js';
import type { CommittedSweepView, LiveStatus } from './live.js';
import { tapLogger } from './metrics/log-tap.js';
import type { NotificationOutcome } from './metrics/state.js';
import { pageConfig } from './page-config.js';

export interface WatchStatusOptions {
  /** `--listen`, over the config's `server.listen`; undefined to follow the config. */
  listen: ListenAt | undefined;
  dbFile: string;
  /** The schedule's longest gap between ticks. */
  intervalMs: number;
  /** How long a notification may wait before it expires (`--notify-expire`). */
  outboxExpireMs: number;
  /** Off in tests that count series. */
  processMetrics?: boolean;
}

/** What the daemon tells an observer (watch/daemon.ts calls these). */
export interface WatchObserver {
  start(config: Config): Promise<void>;
  sweep(view: CommittedSweepView): void;
  reload(config: Config): void;
  stop(): Promise<void>;
}

export interface WatchStatus extends WatchObserver {
  /** The daemon's logger, tapped for the metrics (skipped ticks, notification outcomes). */
  logger: WatchLogger;
  /** The server's URL once started; null when it is off. */
  url(): string | null;
}

export function watchStatus(opts: WatchStatusOptions, logger: WatchLogger): WatchStatus {
  let live: LiveStatus | null = null;
  const tapped = tapLogger(logger, {
    skippedTick: () => live?.skippedTick(),
    notification: (channel: string, outcome: NotificationOutcome, count: number) =>
      live?.notification(channel, outcome, count),
  });
  return {
    logger: tapped,
    url: () => live?.url ?? null,
    async start(config) {
      const fromConfig = config.server?.listen ?? null;
      const listen = opts.listen ?? (fromConfig === null ? null : parseListen(fromConfig));
      // The config's value was checked when it was read; a string here cannot happen.
      if (listen === null || typeof listen === 'string') return;
      const token = config.server?.token ?? null;
      // Loaded only when serving: prom-client and the server are no cost to a watch without --listen.
      const { LiveStatus } = await import('./live.js');
      live = await LiveStatus.start({
        listen,
        token,
        dbFile: opts.dbFile,
        config: pageConfig(config),
        intervalMs: opts.intervalMs,
        outboxExpireMs: Object.keys(config.channels).length === 0 ? null : opts.outboxExpireMs,
        logger: tapped,
        processMetrics: opts.processMetrics,
      });
      logger.info(
        `status page on ${live.url}/ (also /api/status.json, /metrics, /healthz, /badge/<id>.svg)`,
        {
          msg: 'status server',
          url: live.url,
        },
      );
      if (token === null && !isLoopback(listen.host)) {
        logger.warn(
          `the status server listens on ${formatAddress(listen)} without a token: /metrics and /api/status.json are open to anyone who can reach it (set "server": { "token": "\${METRICS_TOKEN}" })`,
          { msg: 'status server without token', address: formatAddress(listen) },
        );
      }
    },
    sweep(view) {
      live?.afterSweep(view);
    },
    reload(config) {
      live?.reconfigure(pageConfig(config));
    },
    async stop() {
      await live?.close();
      live = null;
    },
  };
}
