/**
 * Opsgenie Alert API: one alert per site (the channel groups by site), created when it goes down under
 * the alias of the site (Opsgenie keeps one open alert per alias and counts repeats on it) and closed by
 * that alias when it is back (`POST /v2/alerts/{alias}/close?identifierType=alias`). Authenticated with
 * `Authorization: GenieKey ...`. Opsgenie answers 202 and processes the request afterwards; 4xx other
 * than 429 are permanent (422: a field it refuses), 429 and 5xx are retried.
 */

import type { OpsgenieConfig } from '../channels/opsgenie.js';
import { postJson } from './http.js';
import { type AlertChange, alertChanges, sendInOrder } from './incident.js';
import type { Message } from './message.js';
import type { Channel, Notifier } from './types.js';

/** Opsgenie's limits: message 130 characters, alias and entity 512, description 15,000, a note 25,000. */
const LIMITS = { message: 130, alias: 512, entity: 512, description: 15_000, note: 25_000, detail: 8_000 };

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface OpsgenieRequest {
  /** The path after the base URL, query included. */
  path: string;
  body: Record<string, unknown>;
}

/** The requests a message becomes, in order. */
export function opsgenieRequests(
  message: Message,
  config: OpsgenieConfig,
  channel: string,
): OpsgenieRequest[] {
  return alertChanges(message, 'uptime-squirrel-', channel).map((change: AlertChange) => {
    const alias = cut(change.key, LIMITS.alias);
    if (change.action === 'close') {
      return {
        path: `/v2/alerts/${encodeURIComponent(alias)}/close?identifierType=alias`,
        body: { source: 'uptime-squirrel', note: cut(`${change.summary}: ${change.detail}`, LIMITS.note) },
      };
    }
    const details: Record<string, string> = { state: change.state };
    if (change.url !== null) details.url = cut(change.url, LIMITS.detail);
    if (change.cause !== null) details.cause = cut(change.cause, LIMITS.detail);
    if (change.since !== null) details.since = change.since;
    return {
      path: '/v2/alerts',
      body: {
        message: cut(change.summary, LIMITS.message),
        alias,
        description: cut(change.detail, LIMITS.description),
        priority: change.state === 'test' ? 'P5' : change.monitor ? 'P3' : config.priority,
        source: 'uptime-squirrel',
        entity: cut(change.subject, LIMITS.entity),
        tags: ['uptime-squirrel', ...config.tags],
        details,
      },
    };
  });
}

export const opsgenieNotifier: Notifier<OpsgenieConfig> = {
  create(name, config): Channel {
    return {
      name,
      type: 'opsgenie',
      grouping: 'site',
      secrets: [config.apiKey],
      send: (message, ctx) =>
        sendInOrder(opsgenieRequests(message, config, name), (request) =>
          postJson(`${config.baseUrl}${request.path}`, JSON.stringify(request.body), ctx, {
            what: 'Opsgenie Alert API',
            headers: { authorization: `GenieKey ${config.apiKey}` },
          }),
        ),
    };
  },
};
