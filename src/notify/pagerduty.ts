/**
 * PagerDuty Events API v2: one event per site (the channel groups by site), `trigger` when it goes down
 * (and on each `still-down` reminder, which PagerDuty folds into the open alert) and `resolve` when it
 * is back, both under the site's `dedup_key`, so that PagerDuty's own incident opens and closes with the
 * outage. A 202 is accepted; 400 (an invalid event, a wrong key) is permanent; 429 and 5xx are retried,
 * after the Retry-After PagerDuty asks for when it gives one.
 */

import type { PagerDutyConfig } from '../channels/pagerduty.js';
import { VERSION } from '../core/version.js';
import { postJson } from './http.js';
import { type AlertChange, alertChanges, sendInOrder } from './incident.js';
import type { Message } from './message.js';
import type { Channel, Notifier } from './types.js';

/** PagerDuty's limits: a summary of 1,024 characters, a dedup_key of 255, an event of 512 KB. */
const SUMMARY_CHARS = 1024;
const DETAIL_CHARS = 100_000;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The events a message becomes, in order, as PagerDuty receives them. */
export function pagerdutyEvents(message: Message, config: PagerDutyConfig, channel: string): object[] {
  return alertChanges(message, 'uptime-squirrel-', channel).map((change: AlertChange) =>
    change.action === 'close'
      ? { routing_key: config.routingKey, dedup_key: change.key, event_action: 'resolve' }
      : {
          routing_key: config.routingKey,
          dedup_key: change.key,
          event_action: 'trigger',
          client: 'uptime-squirrel',
          payload: {
            summary: cut(change.summary, SUMMARY_CHARS),
            // PagerDuty wants "the unique location of the affected system": the URL that was checked.
            source: change.url ?? 'uptime-squirrel',
            severity: change.state === 'test' ? 'info' : change.monitor ? 'warning' : config.severity,
            timestamp: change.at,
            component: change.subject,
            class: change.monitor ? 'monitor offline' : 'uptime check',
            custom_details: {
              site: change.subject,
              url: change.url,
              state: change.state,
              cause: change.cause,
              since: change.since,
              detail: cut(change.detail, DETAIL_CHARS),
              version: VERSION,
            },
          },
        },
  );
}

export const pagerdutyNotifier: Notifier<PagerDutyConfig> = {
  create(name, config): Channel {
    const url = `${config.baseUrl}/v2/enqueue`;
    return {
      name,
      type: 'pagerduty',
      grouping: 'site',
      secrets: [config.routingKey],
      send: (message, ctx) =>
        sendInOrder(pagerdutyEvents(message, config, name), (event) =>
          postJson(url, JSON.stringify(event), ctx, { what: 'PagerDuty Events API' }),
        ),
    };
  },
};
