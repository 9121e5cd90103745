/**
 * The status server put together: routes over a model the daemon replaces after each committed sweep,
 * the metrics registries and the health facts. `watch --listen` starts one; tests start one on port 0.
 */

import type { HealthReport } from './health.js';
import { SERVER_LIMITS, type ServerLimits } from './http/limits.js';
import { createRouter, type Rendered } from './http/routes.js';
import { type ListenAddress, type StatusServer, startStatusServer } from './http/server.js';
import type { MetricsRegistries } from './metrics/registry.js';
import type { StatusModel } from './status/model.js';
import { renderStatus } from './status/render.js';

export interface ServeOptions {
  listen: ListenAddress;
  /** Bearer token for /metrics and /api/status.json; null for none. */
  token: string | null;
  /** The config's ${VAR} values: masked in everything served. */
  secrets: readonly string[];
  metrics: MetricsRegistries;
  health: () => HealthReport | Promise<HealthReport>;
  onError?: (error: unknown) => void;
  /** SERVER_LIMITS unless a test shortens them. */
  limits?: ServerLimits;
}

export interface StatusService {
  server: StatusServer;
  /** The model to serve from now on (after a sweep has committed, or a config reload). */
  update(model: StatusModel): void;
  close(): Promise<void>;
}

export async function serveStatus(opts: ServeOptions, initial: StatusModel): Promise<StatusService> {
  let current: Rendered = renderStatus(initial, opts.secrets);
  const limits = opts.limits ?? SERVER_LIMITS;
  const handler = createRouter({
    maxUrlLength: limits.maxUrlLength,
    token: opts.token,
    onError: opts.onError,
    sources: {
      status: () => current,
      metrics: (accept) => opts.metrics.expose(accept),
      health: opts.health,
    },
  });
  const server = await startStatusServer(opts.listen, handler, limits);
  return {
    server,
    update(model) {
      current = renderStatus(model, opts.secrets);
    },
    close: () => server.close(),
  };
}
