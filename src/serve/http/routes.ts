/**
 * The status server's routes, read-only: GET and HEAD only (405 with `Allow` for anything else), 404 for
 * any path not listed here. The handler only reads what `sources` hand it (a model built after the last
 * committed sweep, the metrics registry, the health facts): no request reaches the database or the sweep.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { isSiteId } from '../../util/site-id.js';
import type { HealthReport } from '../health.js';
import { BADGE_TYPES, type BadgeType } from '../status/badge.js';
import { safeJson } from '../status/escape.js';
import type { StatusModel } from '../status/model.js';
import { bearerMatches } from './auth.js';
import { CONTENT_TYPES, securityHeaders } from './headers.js';
import { SERVER_LIMITS } from './limits.js';

/** A rendered document of the current model. */
export interface Rendered {
  model: StatusModel;
  html: string;
  json: string;
  badge(id: string, type: BadgeType): string | null;
}

export interface StatusSources {
  /** The current status, redacted and rendered; cached between sweeps by the caller. */
  status(): Rendered | Promise<Rendered>;
  /** Prometheus exposition for an `Accept` header. */
  metrics(accept: string | undefined): Promise<{ contentType: string; body: string }>;
  health(): HealthReport | Promise<HealthReport>;
}

export interface RouteOptions {
  /** The longest request target accepted (SERVER_LIMITS.maxUrlLength). */
  maxUrlLength?: number;
  sources: StatusSources;
  /** Required as `Authorization: Bearer` on /metrics and /api/status.json; null for none. */
  token: string | null;
  /** A source failed: the client gets a bare 500, the daemon's log gets the error. */
  onError?: (error: unknown) => void;
}

const ALLOW = 'GET, HEAD';
const BADGE_PATH = /^\/badge\/([^/]+)\.svg$/;

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  page = false,
) {
  securityHeaders(res, page);
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  // A request with a body we will not read: close after answering rather than drain it.
  if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
    res.setHeader('Connection', 'close');
  }
  res.end(req.method === 'HEAD' ? undefined : body);
}

function problem(req: IncomingMessage, res: ServerResponse, status: number, message: string) {
  send(req, res, status, CONTENT_TYPES.text, `${message}\n`);
}

function authorized(req: IncomingMessage, res: ServerResponse, token: string | null): boolean {
  if (token === null || bearerMatches(req.headers.authorization, token)) return true;
  res.setHeader('WWW-Authenticate', 'Bearer realm="uptime-squirrel"');
  problem(
    req,
    res,
    401,
    'This route needs Authorization: Bearer <token> (the "server.token" of the config).',
  );
  return false;
}

async function route(req: IncomingMessage, res: ServerResponse, opts: RouteOptions): Promise<void> {
  const target = req.url ?? '/';
  if (target.length > (opts.maxUrlLength ?? SERVER_LIMITS.maxUrlLength))
    return problem(req, res, 414, 'Request target too long.');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', ALLOW);
    return problem(req, res, 405, `Method not allowed: this server is read-only (${ALLOW}).`);
  }
  let url: URL;
  try {
    url = new URL(target, 'http://status.invalid');
  } catch {
    return problem(req, res, 400, 'Bad request target.');
  }
  const { sources, token } = opts;
  const path = url.pathname;
  if (path === '/' || path === '/index.html') {
    const status = await sources.status();
    return send(req, res, 200, CONTENT_TYPES.html, status.html, true);
  }
  if (path === '/api/status.json') {
    if (!authorized(req, res, token)) return;
    return send(req, res, 200, CONTENT_TYPES.json, (await sources.status()).json);
  }
  if (path === '/metrics') {
    if (!authorized(req, res, token)) return;
    const metrics = await sources.metrics(req.headers.accept);
    return send(req, res, 200, metrics.contentType, metrics.body);
  }
  if (path === '/healthz') {
    const health = await sources.health();
    return send(req, res, health.healthy ? 200 : 503, CONTENT_TYPES.json, `${safeJson(health, 2)}\n`);
  }
  const badge = BADGE_PATH.exec(path);
  if (badge) {
    const id = badge[1] ?? '';
    const type = url.searchParams.get('type') ?? 'state';
    if (!(BADGE_TYPES as readonly string[]).includes(type)) {
      return problem(req, res, 400, `Unknown badge type: use ?type=${BADGE_TYPES.join(' or ?type=')}.`);
    }
    const svg = isSiteId(id) ? (await sources.status()).badge(id, type as BadgeType) : null;
    if (svg === null) return problem(req, res, 404, 'No such site.');
    return send(req, res, 200, CONTENT_TYPES.svg, svg);
  }
  return problem(req, res, 404, 'Not found.');
}

export function createRouter(opts: RouteOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(req, res, opts).catch((error: unknown) => {
      opts.onError?.(error);
      if (res.headersSent) res.destroy();
      else problem(req, res, 500, 'Internal error.');
    });
  };
}
