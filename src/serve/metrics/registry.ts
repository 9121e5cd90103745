/**
 * The Prometheus exposition (README, "Metrics"), through prom-client. Two registries with the same
 * metrics, one per format, both reading MetricsState at scrape time: prom-client fixes a registry's
 * format at construction and renames counters in place when rendering OpenMetrics, so one registry
 * switched per request would race between concurrent scrapes and corrupt the other format's names.
 */

import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  type OpenMetricsContentType,
  Registry,
  type RegistryContentType,
} from 'prom-client';
import { KINDS, type Timings } from '../../core/result.js';
import { SITE_STATES } from '../status/model.js';
import { defineLocationMetrics } from './locations.js';
import { type MetricsState, NOTIFICATION_OUTCOMES, SWEEP_OUTCOMES } from './state.js';

export const PREFIX = 'uptime_squirrel_';

const PHASES: { phase: string; of: (t: Timings) => number | null }[] = [
  { phase: 'dns', of: (t) => t.dnsMs },
  { phase: 'connect', of: (t) => t.connectMs },
  { phase: 'tls', of: (t) => t.tlsMs },
  { phase: 'ttfb', of: (t) => t.ttfbMs },
  { phase: 'total', of: (t) => t.totalMs },
];

function define(registry: Registry<RegistryContentType>, state: MetricsState, processMetrics: boolean): void {
  const registers = [registry];
  const siteLabels = ['site', 'url', 'group'] as const;
  const labelsOf = (id: string) => {
    const site = state.sites.get(id)?.site;
    return { site: id, url: site?.url ?? '', group: site?.group ?? '' };
  };

  new Gauge({
    name: `${PREFIX}site_up`,
    help: 'Whether the site is up (1; degraded counts as up) or down (0); absent until its state is known.',
    labelNames: siteLabels,
    registers,
    collect() {
      this.reset();
      for (const [id, s] of state.sites)
        if (s.state !== 'unknown') this.set(labelsOf(id), s.state === 'down' ? 0 : 1);
    },
  });
  new Gauge({
    name: `${PREFIX}site_maintenance`,
    help: 'Whether the site is in a maintenance window (1: checked, but its checks count neither up nor down) or not (0).',
    labelNames: siteLabels,
    registers,
    collect() {
      this.reset();
      for (const [id, s] of state.sites) this.set(labelsOf(id), s.maintenance === true ? 1 : 0);
    },
  });
  new Gauge({
    name: `${PREFIX}site_degraded`,
    help: 'Whether the site is up but failing its latest checks, below its failureThreshold (1) or not (0).',
    labelNames: siteLabels,
    registers,
    collect() {
      this.reset();
      for (const [id, s] of state.sites)
        if (s.state !== 'unknown') this.set(labelsOf(id), s.state === 'degraded' ? 1 : 0);
    },
  });
  new Gauge({
    name: `${PREFIX}site_response_seconds`,
    help: 'Time of each phase of the latest check of the site (dns, connect, tls, ttfb, total), in seconds.',
    labelNames: [...siteLabels, 'phase'],
    registers,
    collect() {
      this.reset();
      for (const [id, s] of state.sites) {
        if (s.timings === null) continue;
        for (const { phase, of } of PHASES) {
          const ms = of(s.timings);
          if (ms !== null) this.set({ ...labelsOf(id), phase }, ms / 1000);
        }
      }
    },
  });
  new Gauge({
    name: `${PREFIX}site_certificate_expiry_timestamp_seconds`,
    help: "When the site's TLS certificate expires, as a Unix timestamp (https sites, once checked).",
    labelNames: siteLabels,
    registers,
    collect() {
      this.reset();
      for (const [id, s] of state.sites)
        if (s.certExpiresAt !== null) this.set(labelsOf(id), s.certExpiresAt / 1000);
    },
  });
  new Counter({
    name: `${PREFIX}site_checks_total`,
    help: `Checks of the site by result kind (${KINDS.join(', ')}).`,
    labelNames: [...siteLabels, 'kind'],
    registers,
    collect() {
      this.reset();
      for (const [id, s] of state.sites)
        for (const kind of KINDS) {
          // Only kinds seen: eleven series per site would mostly be zeros.
          if (s.checks[kind] > 0) this.inc({ ...labelsOf(id), kind }, s.checks[kind]);
        }
    },
  });
  defineLocationMetrics(registers, state, PREFIX, labelsOf);
  new Gauge({
    name: `${PREFIX}sites`,
    help: `Sites by state after the last sweep (${SITE_STATES.join(', ')}).`,
    labelNames: ['state'],
    registers,
    collect() {
      for (const st of SITE_STATES) this.set({ state: st }, 0);
      for (const s of state.sites.values()) this.inc({ state: s.state });
    },
  });
  new Counter({
    name: `${PREFIX}sweeps_total`,
    help: `Sweeps finished, by outcome (${SWEEP_OUTCOMES.join(', ')}).`,
    labelNames: ['outcome'],
    registers,
    collect() {
      this.reset();
      for (const outcome of SWEEP_OUTCOMES) this.inc({ outcome }, state.sweeps[outcome]);
    },
  });
  new Gauge({
    name: `${PREFIX}sweep_duration_seconds`,
    help: 'How long the last sweep took, in seconds.',
    registers,
    collect() {
      this.set(state.lastSweep === null ? 0 : state.lastSweep.durationMs / 1000);
    },
  });
  new Gauge({
    name: `${PREFIX}last_sweep_timestamp_seconds`,
    help: 'When the last sweep finished, as a Unix timestamp (0 before the first).',
    registers,
    collect() {
      this.set(state.lastSweep === null ? 0 : state.lastSweep.finishedAt / 1000);
    },
  });
  new Counter({
    name: `${PREFIX}skipped_ticks_total`,
    help: 'Schedule ticks skipped because the previous sweep was still running.',
    registers,
    collect() {
      this.reset();
      this.inc(state.skippedTicks);
    },
  });
  new Counter({
    name: `${PREFIX}notifications_total`,
    help: `Notification deliveries by channel and outcome (${NOTIFICATION_OUTCOMES.join(', ')}).`,
    labelNames: ['channel', 'outcome'],
    registers,
    collect() {
      this.reset();
      for (const [key, n] of state.notifications) {
        const [channel = '', outcome = ''] = key.split('\u0000');
        this.inc({ channel, outcome }, n);
      }
    },
  });
  new Gauge({
    name: `${PREFIX}outbox_backlog`,
    help: 'Notifications waiting in the outbox, per channel.',
    labelNames: ['channel'],
    registers,
    collect() {
      this.reset();
      for (const [channel, n] of Object.entries(state.outbox)) this.set({ channel }, n);
    },
  });
  if (processMetrics) {
    collectDefaultMetrics({ register: registry, prefix: PREFIX });
    // Gauges that prom-client names like counters: promtool's linter rejects them, and the handle and
    // request counts they give are in the process's resource metrics already.
    for (const name of ['active_handles_total', 'active_requests_total', 'active_resources_total']) {
      registry.removeSingleMetric(`${PREFIX}nodejs_${name}`);
    }
  }
}

/** Whether an `Accept` header prefers OpenMetrics to the classic text format (q-values honoured). */
export function prefersOpenMetrics(accept: string | undefined): boolean {
  let open = 0;
  let text = 0;
  for (const part of (accept ?? '').split(',')) {
    const [type = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    const weight = Number.isFinite(q) ? q : 0;
    if (type === 'application/openmetrics-text') open = Math.max(open, weight);
    else if (type === 'text/plain' || type === '*/*' || type === 'text/*') text = Math.max(text, weight);
  }
  return open > 0 && open >= text;
}

export interface Exposition {
  contentType: string;
  body: string;
}

export interface MetricsRegistries {
  expose(accept: string | undefined): Promise<Exposition>;
}

/** `processMetrics`: the process's own metrics (CPU, memory, event loop lag); off in tests that count series. */
export function createRegistries(state: MetricsState, processMetrics = true): MetricsRegistries {
  const text = new Registry();
  // The typings omit the constructor's content-type argument; setContentType does the same.
  const open = new Registry<OpenMetricsContentType>();
  open.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  define(text, state, processMetrics);
  define(open, state, processMetrics);
  return {
    async expose(accept) {
      const registry = prefersOpenMetrics(accept) ? open : text;
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
