/** A status server on 127.0.0.1 and port 0 over a fixed model, closed after each test. */

import type { HealthReport } from '../../src/serve/health.js';
import type { ServerLimits } from '../../src/serve/http/limits.js';
import { createRegistries } from '../../src/serve/metrics/registry.js';
import { MetricsState } from '../../src/serve/metrics/state.js';
import { type StatusService, serveStatus } from '../../src/serve/serve.js';
import type { StatusModel } from '../../src/serve/status/model.js';
import { useCleanup } from '../helpers/cleanup.js';

export const HEALTHY: HealthReport = {
  healthy: true,
  checkedAt: '2030-03-31T12:00:00.000Z',
  parts: {
    sweeps: { healthy: true, detail: 'last sweep 30 s ago' },
    database: { healthy: true, detail: 'writable' },
    outbox: { healthy: true, detail: 'empty' },
  },
};

export function useStatusServer() {
  const { defer } = useCleanup();
  return async (
    model: StatusModel,
    opts: {
      token?: string;
      secrets?: string[];
      health?: () => HealthReport;
      state?: MetricsState;
      limits?: ServerLimits;
    } = {},
  ): Promise<StatusService & { url: string; state: MetricsState }> => {
    const state = opts.state ?? new MetricsState();
    const service = await serveStatus(
      {
        listen: { host: '127.0.0.1', port: 0 },
        token: opts.token ?? null,
        secrets: opts.secrets ?? [],
        metrics: createRegistries(state, false),
        health: opts.health ?? (() => HEALTHY),
        ...(opts.limits ? { limits: opts.limits } : {}),
      },
      model,
    );
    defer(service.close);
    return { ...service, url: service.server.url, state };
  };
}
