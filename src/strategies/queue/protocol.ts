import { randomBytes } from 'node:crypto';
import { KINDS, type Result } from '../../core/result.js';
import type { CheckOptions, Method, Site, StatusRange } from '../../core/site.js';

/**
 * What coordinators and workers write to Redis: plain JSON, readable with redis-cli (docs/QUEUE.md).
 *
 *   uptime-squirrel:checks:<sweep>-<batch>      BullMQ job hash; field `data` is a BatchJob
 *   uptime-squirrel:sweep:{<sweep>}:meta         SweepMeta; while it exists the sweep takes results
 *   uptime-squirrel:sweep:{<sweep>}:results      hash: site index -> Result JSON (first one wins)
 *   uptime-squirrel:sweep:{<sweep>}:arrived      list of indexes stored, for the coordinator to pop
 *
 * With locations, each location has a queue of its own (`checks.<location>`, taken only by the workers of
 * that location), and a result's field is `<index>@<location>`: one result per sweep, site and location.
 */

/** Bumped when a field changes meaning; a worker refuses batches of another version. */
export const PROTOCOL_VERSION = 1;
export const KEY_PREFIX = 'uptime-squirrel';
export const QUEUE_NAME = 'checks';

export interface SweepKeys {
  meta: string;
  results: string;
  arrived: string;
}

/** The queue a worker of `location` takes batches from; the plain queue without one (as before locations). */
export function queueName(location?: string): string {
  return location === undefined ? QUEUE_NAME : `${QUEUE_NAME}.${location}`;
}

/** The results hash field (and arrived entry) of a site's result from `location`. */
export function resultField(index: number, location?: string): string {
  return location === undefined ? String(index) : `${index}@${location}`;
}

/** The site index and location of a results field; null for anything else. */
export function parseField(field: string): { index: number; location?: string } | null {
  const at = field.indexOf('@');
  const index = Number(at < 0 ? field : field.slice(0, at));
  if (!Number.isSafeInteger(index) || index < 0) return null;
  return at < 0 ? { index } : { index, location: field.slice(at + 1) };
}

export function sweepKeys(sweep: string): SweepKeys {
  // The {hash tag} puts a sweep's keys in one Redis Cluster slot: one script touches all three.
  const base = `${KEY_PREFIX}:sweep:{${sweep}}`;
  return { meta: `${base}:meta`, results: `${base}:results`, arrived: `${base}:arrived` };
}

/** Sortable by start time, unique across coordinators; no ':' (BullMQ job ids may not hold one). */
export function newSweepId(now = Date.now()): string {
  return `${now.toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function jobId(sweep: string, batch: number, location?: string): string {
  return location === undefined ? `${sweep}-${batch}` : `${sweep}-${location}-${batch}`;
}

/** What a check needs of a site; the watch-only thresholds stay with the coordinator. */
export interface SiteSpec {
  url: string;
  name: string | null;
  method: Method;
  timeoutMs: number;
  expectStatus: StatusRange[];
  /** May hold secrets (${VAR} values): see "What is stored in Redis" in docs/QUEUE.md. */
  headers: Record<string, string>;
  maxRedirects: number;
  retries: number;
  // What the request and its verdict need beyond the basics; absent keys take the probe's defaults.
  ipFamily?: CheckOptions['ipFamily'];
  /** May hold a secret (proxy credentials from ${VAR}). */
  proxy?: CheckOptions['proxy'];
  /** May hold secrets (${VAR} values). */
  body?: CheckOptions['body'];
  expect?: CheckOptions['expect'];
  maxBodyBytes?: number;
  certExpiry?: CheckOptions['certExpiry'];
  /** File paths are read on the worker's machine; the passphrase is a secret. */
  tls?: CheckOptions['tls'];
}

/** The secrets among `secrets` that these sites carry (in a header value or the URL). */
export function secretsIn(sites: readonly SiteSpec[], secrets: readonly string[]): string[] {
  return secrets.filter((secret) =>
    sites.some(
      (s) =>
        s.url.includes(secret) ||
        Object.values(s.headers).some((v) => v.includes(secret)) ||
        (s.proxy ?? '').includes(secret) ||
        (s.body?.text ?? '').includes(secret) ||
        (s.tls?.passphrase ?? '').includes(secret),
    ),
  );
}

export function siteSpec(site: Site): SiteSpec {
  const { url, name, method, timeoutMs, expectStatus, headers, maxRedirects, retries } = site;
  const spec: SiteSpec = { url, name, method, timeoutMs, expectStatus, headers, maxRedirects, retries };
  // Only what is set travels, so a plain site's job stays as small as before.
  const { ipFamily, proxy, body, expect, maxBodyBytes, certExpiry, tls } = site;
  const extra = { ipFamily, proxy, body, expect, maxBodyBytes, certExpiry, tls };
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined) Object.assign(spec, { [key]: value });
  }
  return spec;
}

/** The probe options of a sweep: the same for every batch, so a worker keeps one probe context per sweep. */
export interface BatchOptions {
  userAgent: string;
  retryDelayMs?: number;
  /** Extra trusted CA certificates, PEM. */
  ca?: string;
}

/** The `data` of one BullMQ job: some sites of one sweep. */
export interface BatchJob {
  v: typeof PROTOCOL_VERSION;
  sweep: string;
  batch: number;
  /** Epoch ms; past it the coordinator has stopped waiting and the batch is skipped. */
  deadline: number;
  options: BatchOptions;
  /**
   * Values to mask in this batch's result messages: the config's secrets that occur in these sites'
   * headers or URLs, so already in the job. Never the others (notification channels' passwords).
   */
  secrets: string[];
  items: Array<{ index: number; site: SiteSpec }>;
  /** The location whose workers check this batch; absent without locations. */
  location?: string;
}

/** The value of the meta key: who runs the sweep, for a person reading redis-cli. */
export interface SweepMeta {
  v: typeof PROTOCOL_VERSION;
  sweep: string;
  sites: number;
  batches: number;
  startedAt: string;
  deadline: string;
  coordinator: string;
}

/** Why a job cannot be used; the worker fails it without retrying. */
export class BadBatchError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Checks a job's data before it is used: it crossed a network and may come from another version.
 * Only the shape is checked; the coordinator validated the sites when it loaded the config.
 */
export function decodeBatch(data: unknown): BatchJob {
  if (!isObject(data)) throw new BadBatchError('job data is not an object');
  if (data.v !== PROTOCOL_VERSION)
    throw new BadBatchError(`protocol version ${String(data.v)}, this worker speaks ${PROTOCOL_VERSION}`);
  const { sweep, batch, deadline, options, items } = data;
  if (typeof sweep !== 'string' || !/^[\w.-]+$/.test(sweep)) throw new BadBatchError('bad sweep id');
  if (!isIndex(batch) || typeof deadline !== 'number') throw new BadBatchError('bad batch or deadline');
  if (!isObject(options) || typeof options.userAgent !== 'string') throw new BadBatchError('bad options');
  if (!Array.isArray(data.secrets) || !data.secrets.every((s) => typeof s === 'string'))
    throw new BadBatchError('bad secrets');
  if (!Array.isArray(items)) throw new BadBatchError('no items');
  if (data.location !== undefined && typeof data.location !== 'string')
    throw new BadBatchError('bad location');
  for (const item of items) {
    const site = isObject(item) ? item.site : undefined;
    if (
      !isObject(item) ||
      !isIndex(item.index) ||
      !isObject(site) ||
      typeof site.url !== 'string' ||
      typeof site.timeoutMs !== 'number' ||
      !Array.isArray(site.expectStatus) ||
      !isObject(site.headers)
    )
      throw new BadBatchError('bad item');
  }
  return data as unknown as BatchJob;
}

/** A stored result, or null when it is not one (then the site stays missing, never up). */
export function decodeResult(json: string): Result | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (
    !isObject(value) ||
    typeof value.url !== 'string' ||
    typeof value.ok !== 'boolean' ||
    !(KINDS as readonly unknown[]).includes(value.kind) ||
    value.kind === 'unchecked' ||
    !isObject(value.timings) ||
    typeof value.checkedAt !== 'string'
  )
    return null;
  return value as unknown as Result;
}
