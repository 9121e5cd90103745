/**
 * Twilio's Messages API: one text per message, form-encoded, with HTTP basic auth (Account SID and auth
 * token). The text is render/sms.ts's: at most two segments naming the sites. Twilio's errors carry a
 * code of their own (21211: the `To` number is not valid), quoted with the HTTP status; 429 and 5xx are
 * tried again, every other refusal is permanent.
 */

import type { TwilioConfig } from '../channels/twilio.js';
import { answerObject, isTransientStatus, postJson, refusal } from './http.js';
import type { Message } from './message.js';
import { renderSms } from './render/sms.js';
import type { Channel, Notifier } from './types.js';

const WHAT = 'Twilio API';

export function twilioForm(message: Message, config: TwilioConfig): string {
  const form = new URLSearchParams({ To: config.to, Body: renderSms(message) });
  if (config.from.startsWith('MG')) form.set('MessagingServiceSid', config.from);
  else form.set('From', config.from);
  return form.toString();
}

export const twilioNotifier: Notifier<TwilioConfig> = {
  create(name, config): Channel {
    const basic = Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64');
    const url = `${config.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
    return {
      name,
      type: 'twilio',
      secrets: [config.accountSid, config.authToken, basic],
      send: (message, ctx) =>
        postJson(url, twilioForm(message, config), ctx, {
          what: WHAT,
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
          judge: ({ status, body, text, retryAfterMs }) => {
            const json = answerObject(body);
            if (status >= 200 && status < 300) {
              const sid = typeof json?.sid === 'string' ? json.sid : null;
              const state = typeof json?.status === 'string' ? ` ${json.status}` : '';
              return sid === null ? null : { answer: `HTTP ${status} ${sid}${state}` };
            }
            if (json === null || json.code === undefined) return null;
            // "21211 The 'To' number +1555 is not a valid phone number." is what people look up.
            const reason =
              `${String(json.code)} ${typeof json.message === 'string' ? json.message : ''}`.trim();
            return refusal(WHAT, status, text, {
              transient: isTransientStatus(status),
              retryAfterMs,
              reason,
            });
          },
        }),
    };
  },
};
