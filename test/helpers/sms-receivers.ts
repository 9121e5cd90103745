/**
 * Local stand-ins for the SMS providers, each checking the documented contract of the call uptime-squirrel
 * makes and answering as the provider does, errors included.
 *
 * Twilio, Messages API: POST /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP basic auth
 * (AccountSid:AuthToken), form-encoded To (E.164), From or MessagingServiceSid, Body (at most 1,600
 * characters); 201 with the Message resource; errors as {code, message, more_info, status}.
 *
 * Vonage, SMS API: POST /sms/json with api_key, api_secret, from, to, text (form or JSON); ALWAYS HTTP 200,
 * with one entry per part in `messages` whose `status` is "0" when taken and an error number otherwise.
 */

import {
  basicAuth,
  jsonBody,
  type ProviderAnswer,
  type ProviderRequest,
  startProviderReceiver,
} from './provider-receiver.js';

export const TWILIO = {
  accountSid: `AC${'0123456789abcdef'.repeat(2)}`,
  authToken: 'twilio-auth-token-0123456789',
};

function twilioError(status: number, code: number, message: string): ProviderAnswer {
  return {
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  };
}

export type TwilioError = 'invalid-number' | 'rate-limit' | 'unavailable';

export function startTwilio(account = TWILIO) {
  const path = `/2010-04-01/Accounts/${account.accountSid}/Messages.json`;
  return startProviderReceiver<TwilioError>({
    check(req) {
      if (req.method !== 'POST' || req.path !== path) {
        return twilioError(404, 20404, `The requested resource ${req.path} was not found`);
      }
      const auth = basicAuth(req);
      if (auth?.user !== account.accountSid || auth.password !== account.authToken) {
        return twilioError(401, 20003, 'Authenticate');
      }
      if (!/^application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
        return twilioError(400, 21602, 'Message body is required.');
      }
      const to = req.form.get('To');
      if (to === null || to === '') return twilioError(400, 21604, "A 'To' phone number is required.");
      if (!/^\+[1-9]\d{6,14}$/.test(to)) {
        return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      }
      if (!req.form.get('From') && !req.form.get('MessagingServiceSid')) {
        return twilioError(400, 21603, "A 'From' phone number is required.");
      }
      const body = req.form.get('Body') ?? '';
      if (body === '') return twilioError(400, 21602, 'Message body is required.');
      if (body.length > 1600) {
        return twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
      }
      return null;
    },
    accept: (req, n) => ({
      status: 201,
      body: {
        sid: `SM${String(n).padStart(32, '0')}`,
        account_sid: account.accountSid,
        to: req.form.get('To'),
        from: req.form.get('From'),
        messaging_service_sid: req.form.get('MessagingServiceSid'),
        body: req.form.get('Body'),
        status: 'queued',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        error_code: null,
        error_message: null,
      },
    }),
    errors: {
      'invalid-number': (req) =>
        twilioError(400, 21211, `The 'To' number ${req.form.get('To')} is not a valid phone number.`),
      'rate-limit': () => twilioError(429, 20429, 'Too Many Requests'),
      unavailable: () => twilioError(503, 20503, 'Service Unavailable'),
    },
  });
}

export const VONAGE = { apiKey: 'a1b2c3d4', apiSecret: 'vonage-secret-0123' };

export type VonageError = 'throttled' | 'bad-credentials' | 'no-credit' | 'partial' | 'server-error';

/** Vonage's parameters, from a form or a JSON body. */
function vonageParam(req: ProviderRequest, name: string): string | null {
  const value = req.form.get(name) ?? jsonBody(req)[name];
  return typeof value === 'string' ? value : null;
}

function vonageAnswer(...parts: Record<string, string>[]): ProviderAnswer {
  return {
    status: 200,
    body: { 'message-count': String(parts.length), messages: parts },
    accepted: parts.every((p) => p.status === '0'),
  };
}

const refused = (status: string, errorText: string) => vonageAnswer({ status, 'error-text': errorText });

export function startVonage(account = VONAGE) {
  let id = 0;
  const taken = (req: ProviderRequest) => ({
    to: vonageParam(req, 'to') ?? '',
    'message-id': `0A00000000${String(++id).padStart(6, '0')}`,
    status: '0',
    'remaining-balance': '3.14159265',
    'message-price': '0.03330000',
    network: '12345',
  });
  return startProviderReceiver<VonageError>({
    check(req) {
      if (req.method !== 'POST' || req.path !== '/sms/json') return { status: 404, body: 'Not Found' };
      for (const name of ['api_key', 'api_secret', 'from', 'to', 'text']) {
        if (!vonageParam(req, name)) return refused('2', `Missing ${name} param`);
      }
      if (
        vonageParam(req, 'api_key') !== account.apiKey ||
        vonageParam(req, 'api_secret') !== account.apiSecret
      ) {
        return refused('4', 'Bad Credentials');
      }
      if (!/^[1-9]\d{6,14}$/.test(vonageParam(req, 'to') ?? '')) return refused('3', 'Invalid to number');
      const type = vonageParam(req, 'type') ?? 'text';
      if (type !== 'text' && type !== 'unicode') return refused('3', 'Invalid type');
      return null;
    },
    accept(req) {
      // Long texts are sent in parts, one entry each (160 characters is one part of the default alphabet).
      const text = vonageParam(req, 'text') ?? '';
      const parts = text.length <= (vonageParam(req, 'type') === 'unicode' ? 70 : 160) ? 1 : 2;
      return vonageAnswer(...Array.from({ length: parts }, () => taken(req)));
    },
    errors: {
      throttled: () => refused('1', 'Throughput Rate Exceeded - please wait [ 1 ] and retry'),
      'bad-credentials': () => refused('4', 'Bad Credentials'),
      'no-credit': () => refused('9', 'Quota Exceeded - rejected'),
      partial: (req) => vonageAnswer(taken(req), { status: '1', 'error-text': 'Throughput Rate Exceeded' }),
      'server-error': () => ({ status: 500, body: 'Internal Server Error' }),
    },
  });
}
