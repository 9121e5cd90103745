/**
 * Local stand-ins for the incident tools, each checking the documented contract of the calls
 * uptime-squirrel makes and answering as the tool does, errors included, and keeping the tool's state:
 * which alerts are open, by their deduplication key.
 *
 * PagerDuty, Events API v2: POST /v2/enqueue, JSON, at most 512 KB; `routing_key` of 32 characters,
 * `event_action` trigger / acknowledge / resolve, `dedup_key` of at most 255 characters; a trigger needs
 * `payload.summary` (at most 1,024 characters), `payload.source` and `payload.severity` (critical, error,
 * warning, info). 202 {"status": "success", "message": "Event processed", "dedup_key"}; 400 {"status":
 * "invalid event", "message": "Event object is invalid", "errors": [...]}; 429 when throttled.
 *
 * Opsgenie, Alert API: `Authorization: GenieKey <key>`; POST /v2/alerts (JSON: `message` required, at
 * most 130 characters; `alias` 512; `description` 15,000; `priority` P1-P5) and POST
 * /v2/alerts/{alias}/close?identifierType=alias; 202 {"result": "Request will be processed", "took",
 * "requestId"}; 422 with the field errors; 401 for a wrong key; 429 when throttled.
 */

import { randomUUID } from 'node:crypto';
import {
  jsonBody,
  type ProviderAnswer,
  type ProviderRequest,
  startProviderReceiver,
} from '../helpers/provider-receiver.js';

export const PAGERDUTY_KEY = 'R0123456789abcdef0123456789ABCDE';
export const OPSGENIE_KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889';

function pdInvalid(...errors: string[]): ProviderAnswer {
  return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors } };
}

export type PagerDutyError = 'rate-limit' | 'rate-limit-after' | 'unavailable' | 'invalid';

/** An alert as the tool holds it. */
export interface ToolAlert {
  key: string;
  open: boolean;
  /** Triggers (or creates) it received, the first included. */
  triggers: number;
  summary: string;
}

const SEVERITIES = ['critical', 'error', 'warning', 'info'];

export async function startPagerDuty(routingKey = PAGERDUTY_KEY) {
  const alerts = new Map<string, ToolAlert>();
  const receiver = await startProviderReceiver<PagerDutyError>({
    maxBytes: { bytes: 512 * 1024, answer: { status: 413, body: 'Request Entity Too Large' } },
    check(req) {
      if (req.path !== '/v2/enqueue') return { status: 404, body: 'Not Found' };
      if (req.method !== 'POST') return { status: 405, body: 'Method Not Allowed' };
      if (!/^application\/json/.test(req.headers['content-type'] ?? ''))
        return pdInvalid('Content-Type must be application/json');
      if (req.json === undefined)
        return { status: 400, body: { status: 'invalid event', message: 'Invalid JSON' } };
      const event = jsonBody(req);
      const errors: string[] = [];
      if (typeof event.routing_key !== 'string' || event.routing_key.length !== 32) {
        errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");
      } else if (event.routing_key !== routingKey) {
        errors.push("'routing_key' is not a known integration key");
      }
      if (!['trigger', 'acknowledge', 'resolve'].includes(String(event.event_action))) {
        errors.push("'event_action' is invalid (must be one of: trigger, acknowledge, resolve)");
      }
      const dedup = event.dedup_key;
      if (dedup !== undefined && (typeof dedup !== 'string' || dedup.length > 255)) {
        errors.push("'dedup_key' must be a string of at most 255 characters");
      }
      if (event.event_action !== 'trigger' && typeof dedup !== 'string')
        errors.push("'dedup_key' is required");
      if (event.event_action === 'trigger') {
        const payload = (event.payload ?? {}) as Record<string, unknown>;
        const summary = payload.summary;
        if (typeof summary !== 'string' || summary === '')
          errors.push("'payload.summary' is missing or blank");
        else if (summary.length > 1024) errors.push("'payload.summary' is longer than 1024 characters");
        if (typeof payload.source !== 'string' || payload.source === '')
          errors.push("'payload.source' is missing or blank");
        if (!SEVERITIES.includes(String(payload.severity))) {
          errors.push("'payload.severity' is invalid (must be one of: critical, error, warning, info)");
        }
      }
      return errors.length === 0 ? null : pdInvalid(...errors);
    },
    accept(req) {
      const event = jsonBody(req);
      const key = typeof event.dedup_key === 'string' ? event.dedup_key : randomUUID();
      const alert = alerts.get(key);
      if (event.event_action === 'trigger') {
        const summary = String((event.payload as Record<string, unknown>).summary);
        // A trigger on an open alert adds to it; after a resolve the same key opens a new one.
        if (alert?.open) alert.triggers++;
        else alerts.set(key, { key, open: true, triggers: 1, summary });
      } else if (event.event_action === 'resolve' && alert?.open) {
        alert.open = false;
      }
      return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: key } };
    },
    errors: {
      'rate-limit': () => ({
        status: 429,
        body: {
          status: 'throttle event',
          message: 'Requests for this service are arriving too quickly. Please retry later.',
        },
      }),
      'rate-limit-after': () => ({
        status: 429,
        headers: { 'retry-after': '1' },
        body: {
          status: 'throttle event',
          message: 'Requests for this service are arriving too quickly. Please retry later.',
        },
      }),
      unavailable: () => ({ status: 503, body: 'Service Unavailable' }),
      invalid: () => pdInvalid("'routing_key' is not a known integration key"),
    },
  });
  return {
    ...receiver,
    alerts,
    /** The events PagerDuty took, parsed. */
    events: () => receiver.accepted().map((r) => jsonBody(r)),
    open: () => [...alerts.values()].filter((a) => a.open),
  };
}

export type OpsgenieError = 'rate-limit' | 'unavailable' | 'unprocessable';

function ogAnswer(status: number, body: Record<string, unknown>): ProviderAnswer {
  return { status, body: { ...body, took: 0.003, requestId: randomUUID() } };
}

const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'];

export async function startOpsgenie(apiKey = OPSGENIE_KEY) {
  const alerts = new Map<string, ToolAlert>();
  const closePath = /^\/v2\/alerts\/([^/]+)\/close$/;
  const receiver = await startProviderReceiver<OpsgenieError>({
    maxBytes: { bytes: 256 * 1024, answer: ogAnswer(413, { message: 'Request Entity Too Large' }) },
    check(req) {
      if (req.headers.authorization !== `GenieKey ${apiKey}`) {
        return ogAnswer(401, { message: 'Could not authenticate' });
      }
      if (req.method !== 'POST' || (req.path !== '/v2/alerts' && !closePath.test(req.path))) {
        return ogAnswer(404, { message: 'Could not find the requested resource' });
      }
      if (!/^application\/json/.test(req.headers['content-type'] ?? '') || req.json === undefined) {
        return ogAnswer(422, { message: 'Request body is not processable. Please check the errors.' });
      }
      const body = jsonBody(req);
      const errors: Record<string, string> = {};
      if (req.path === '/v2/alerts') {
        if (typeof body.message !== 'string' || body.message.trim() === '')
          errors.message = 'Message can not be empty.';
        else if (body.message.length > 130) errors.message = 'Message can not be longer than 130 characters.';
        if (body.alias !== undefined && (typeof body.alias !== 'string' || body.alias.length > 512)) {
          errors.alias = 'Alias can not be longer than 512 characters.';
        }
        if (typeof body.description === 'string' && body.description.length > 15_000) {
          errors.description = 'Description can not be longer than 15000 characters.';
        }
        if (body.priority !== undefined && !PRIORITIES.includes(String(body.priority))) {
          errors.priority = 'Priority should be one of [P1, P2, P3, P4, P5]';
        }
      } else {
        if (req.query.get('identifierType') !== 'alias')
          errors.identifierType = 'identifierType must be alias here';
        if (typeof body.note === 'string' && body.note.length > 25_000)
          errors.note = 'Note can not be longer than 25000 characters.';
      }
      return Object.keys(errors).length === 0
        ? null
        : ogAnswer(422, { message: 'Request body is not processable. Please check the errors.', errors });
    },
    accept(req) {
      const body = jsonBody(req);
      const close = closePath.exec(req.path);
      if (close === null) {
        const key = typeof body.alias === 'string' ? body.alias : randomUUID();
        const alert = alerts.get(key);
        // One open alert per alias: a repeat counts on it.
        if (alert?.open) alert.triggers++;
        else alerts.set(key, { key, open: true, triggers: 1, summary: String(body.message) });
      } else {
        const alert = alerts.get(close[1] ?? '');
        if (alert !== undefined) alert.open = false;
      }
      return ogAnswer(202, { result: 'Request will be processed' });
    },
    errors: {
      'rate-limit': () =>
        ogAnswer(429, {
          message: 'You are making too many requests! To avoid errors, we recommend you limit requests.',
        }),
      unavailable: () => ogAnswer(503, { message: 'Service Unavailable' }),
      unprocessable: () =>
        ogAnswer(422, { message: 'Request body is not processable. Please check the errors.' }),
    },
  });
  return {
    ...receiver,
    alerts,
    open: () => [...alerts.values()].filter((a) => a.open),
    creates: () => receiver.accepted().filter((r) => r.path === '/v2/alerts'),
    closes: () => receiver.accepted().filter((r) => r.path.endsWith('/close')),
  };
}

export type { ProviderRequest };
