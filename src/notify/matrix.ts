/**
 * Matrix (client-server API): one `m.room.message` PUT to the room with a transaction id derived from the
 * message id, which is stable for the same outbox rows: a message sent again after a crash or a timeout
 * carries the same id, and the homeserver returns the event it already made instead of posting twice.
 * The body is plain text with an HTML `formatted_body`; `m.mentions` is empty, so no "@room" in a site
 * name or a server's error text notifies anyone. 429 `M_LIMIT_EXCEEDED` is tried again after the
 * `retry_after_ms` it gives.
 */

import type { MatrixConfig } from '../channels/matrix.js';
import { answerObject, isTransientStatus, postJson, refusal } from './http.js';
import type { Message } from './message.js';
import { withinBytes } from './render/chat-safe.js';
import { type MarkdownDialect, renderMarkdown } from './render/markdown.js';
import { renderText } from './render/text.js';
import { escapeHtml } from './text.js';
import type { Channel, Notifier } from './types.js';

const WHAT = 'Matrix homeserver';

/** Homeservers refuse events over 65,536 bytes; the two bodies share what is left after the envelope. */
const MAX_EVENT_BYTES = 60_000;

const htmlDialect: MarkdownDialect = { bold: (text) => `<b>${text}</b>`, escape: escapeHtml };

export function matrixContent(message: Message): Record<string, unknown> {
  // The two bodies share what is left after the envelope; HTML's tags and entities take more room.
  const html = withinBytes(
    (chars) => renderMarkdown(message, htmlDialect, chars).replace(/\n/g, '<br>\n'),
    (MAX_EVENT_BYTES * 3) / 5,
  );
  const body = withinBytes((chars) => renderText(message, chars).trimEnd(), (MAX_EVENT_BYTES * 2) / 5);
  return {
    msgtype: 'm.text',
    body,
    format: 'org.matrix.custom.html',
    formatted_body: html,
    'm.mentions': {},
  };
}

/** The transaction id: the message id, which a resend of the same rows repeats. */
export function matrixTxnId(message: Message): string {
  return `uptime-squirrel.${message.id}`;
}

export const matrixNotifier: Notifier<MatrixConfig> = {
  create(name, config): Channel {
    const room = `${config.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(config.roomId)}`;
    return {
      name,
      type: 'matrix',
      secrets: [config.accessToken],
      send: (message, ctx) =>
        postJson(
          `${room}/send/m.room.message/${encodeURIComponent(matrixTxnId(message))}`,
          JSON.stringify(matrixContent(message)),
          ctx,
          {
            what: WHAT,
            method: 'PUT',
            headers: { authorization: `Bearer ${config.accessToken}` },
            judge: ({ status, body, text, retryAfterMs }) => {
              const json = answerObject(body);
              if (status >= 200 && status < 300) {
                return typeof json?.event_id === 'string'
                  ? { answer: `HTTP ${status} ${json.event_id}` }
                  : null;
              }
              if (typeof json?.errcode !== 'string') return null;
              const wait = typeof json.retry_after_ms === 'number' ? json.retry_after_ms : retryAfterMs;
              return refusal(WHAT, status, text, {
                transient: isTransientStatus(status),
                retryAfterMs: wait,
                reason: `${json.errcode}${typeof json.error === 'string' ? ` ${json.error}` : ''}`,
              });
            },
          },
        ),
    };
  },
};
