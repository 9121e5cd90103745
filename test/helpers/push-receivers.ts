/**
 * Local stand-ins for the push services, each checking the documented contract of the call uptime-squirrel
 * makes and answering as the service does, errors included:
 *
 * - Pushover: POST /1/messages.json with token, user and message (at most 1,024 characters), optional
 *   title (250), priority (-2 to 2), device; form, JSON or multipart; answers {status: 1, request} or
 *   HTTP 4xx {status: 0, errors: [...], <field>: "invalid"}; 429 when the application's monthly limit is
 *   used up.
 * - Gotify: POST /message with the application token in X-Gotify-Key (or ?token=, or a Bearer header),
 *   JSON with message (required), title, priority, extras; answers the stored message; errors as
 *   {error, errorCode, errorDescription}.
 */

import { jsonBody, type ProviderRequest, startProviderReceiver } from './provider-receiver.js';

export const PUSHOVER = { token: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi', user: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG' };

function pushoverParams(req: ProviderRequest): Record<string, string> {
  const json = jsonBody(req);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(json)) out[k] = String(v);
  for (const [k, v] of req.form) out[k] = v;
  return out;
}

const pushoverError = (status: number, field: string | null, error: string) => ({
  status,
  body: {
    ...(field === null ? {} : { [field]: 'invalid' }),
    errors: [error],
    status: 0,
    request: '5042853c-402d-4a18-abcb-168734a801de',
  },
});

export type PushoverError = 'over-limit' | 'server-error';

export function startPushover(app = PUSHOVER) {
  return startProviderReceiver<PushoverError>({
    check(req) {
      if (req.method !== 'POST' || req.path !== '/1/messages.json') return { status: 404, body: 'Not Found' };
      const p = pushoverParams(req);
      if (p.token !== app.token) return pushoverError(400, 'token', 'application token is invalid');
      if (p.user !== app.user) {
        return pushoverError(
          400,
          'user',
          'user identifier is not a valid user, group, or subscribed user key',
        );
      }
      if (!p.message) return pushoverError(400, 'message', 'message cannot be blank');
      if ([...p.message].length > 1024)
        return pushoverError(400, 'message', 'message is too long (1024 characters maximum)');
      if (p.title !== undefined && [...p.title].length > 250)
        return pushoverError(400, 'title', 'title is too long');
      if (p.priority !== undefined && !['-2', '-1', '0', '1'].includes(p.priority)) {
        return pushoverError(400, 'priority', 'priority must be -2, -1, 0, or 1 (2 needs retry and expire)');
      }
      return null;
    },
    accept: () => ({
      status: 200,
      body: { status: 1, request: '647d2300-702c-4b38-8b2f-d56326ae460b' },
      headers: {
        'x-limit-app-limit': '10000',
        'x-limit-app-remaining': '7496',
        'x-limit-app-reset': '1393653600',
      },
    }),
    errors: {
      'over-limit': () => pushoverError(429, null, 'application has exceeded its monthly message limit'),
      'server-error': () => ({ status: 500, body: 'Internal Server Error' }),
    },
  });
}

export const GOTIFY = { token: 'AiOLxxDxYOCc7bY' };

const gotifyError = (status: number, error: string, description: string) => ({
  status,
  body: { error, errorCode: status, errorDescription: description },
});

export type GotifyError = 'server-error';

export function startGotify(app = GOTIFY) {
  return startProviderReceiver<GotifyError>({
    check(req) {
      if (req.method !== 'POST' || req.path !== '/message')
        return gotifyError(404, 'Not Found', 'page not found');
      const token =
        (req.headers['x-gotify-key'] as string | undefined) ??
        req.query.get('token') ??
        /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (token !== app.token) {
        return gotifyError(
          401,
          'Unauthorized',
          'you need to provide a valid access token or user credentials to access this api',
        );
      }
      const body = jsonBody(req);
      if (typeof body.message !== 'string' || body.message === '') {
        return gotifyError(400, 'Bad Request', "Field 'message' is required");
      }
      if (body.priority !== undefined && !Number.isInteger(body.priority)) {
        return gotifyError(400, 'Bad Request', "Field 'priority' must be an integer");
      }
      return null;
    },
    accept: (req, n) => {
      const body = jsonBody(req);
      return {
        status: 200,
        body: {
          id: n,
          appid: 1,
          message: body.message,
          title: body.title ?? 'uptime-squirrel',
          priority: body.priority ?? 0,
          extras: body.extras,
          date: new Date().toISOString(),
        },
      };
    },
    errors: {
      'server-error': () => gotifyError(500, 'Internal Server Error', 'database is locked'),
    },
  });
}
