import { Gauge, type Registry, type RegistryContentType } from 'prom-client';
import type { MetricsState } from './state.js';

/**
 * Queue mode with locations: what each location saw, so that a site one location sees down (below the
 * quorum, no alert) still shows in a dashboard. Absent without locations.
 */
export function defineLocationMetrics(
  registers: Registry<RegistryContentType>[],
  state: MetricsState,
  prefix: string,
  labelsOf: (id: string) => { site: string; url: string; group: string },
): void {
  new Gauge({
    name: `${prefix}site_location_up`,
    help: 'Whether a location saw the site up (1) or down (0) in the latest sweep; absent when it gave no result.',
    labelNames: ['site', 'url', 'group', 'location'],
    registers,
    collect() {
      this.reset();
      for (const [id, s] of state.sites)
        for (const [location, ok] of s.locations)
          if (ok !== null) this.set({ ...labelsOf(id), location }, ok ? 1 : 0);
    },
  });
  new Gauge({
    name: `${prefix}location_answered`,
    help: 'Whether the location gave a result for every check of the latest sweep (1) or had no live worker for some (0).',
    labelNames: ['location'],
    registers,
    collect() {
      this.reset();
      for (const [location, answered] of state.locations) this.set({ location }, answered ? 1 : 0);
    },
  });
}
