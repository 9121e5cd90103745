/**
 * Local stand-ins for the chat services, each checking the documented contract of the call uptime-squirrel
 * makes and answering as the service does, errors included:
 *
 * - Telegram Bot API: POST /bot{token}/sendMessage, JSON with chat_id, text (at most 4,096 characters
 *   after parsing), optional message_thread_id and parse_mode; HTML mode refuses a "<" or "&" that is
 *   not a supported tag or entity; answers {ok, result} or {ok: false, error_code, description,
 *   parameters: {retry_after, migrate_to_chat_id}}.
 * - Microsoft Teams Workflows webhook: POST JSON {type: "message", attachments: [{contentType:
 *   "application/vnd.microsoft.card.adaptive", content: AdaptiveCard}]}; 202; 413 over about 28 KB.
 * - Google Chat webhook: POST /v1/spaces/{space}/messages?key=&token=, JSON {text}; 32,000 bytes at
 *   most; errors as {error: {code, message, status}}.
 * - Mattermost: POST /hooks/{id}, JSON {text}; answers "ok"; errors as {id, message, status_code}.
 * - Rocket.Chat: POST /hooks/{integrationId}/{token}, JSON {text}; answers {success: true}.
 * - Matrix: PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId} with a Bearer token; the
 *   same txnId from the same token returns the event it made, not a new one; 65,536 bytes at most;
 *   errors as {errcode, error, retry_after_ms}.
 */

import { jsonBody, type ProviderRequest, startProviderReceiver } from './provider-receiver.js';

// ---------------------------------------------------------------------------------------------- Telegram

export const TELEGRAM = { botToken: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', chatId: -1001234567890 };

const telegramError = (code: number, description: string, parameters?: Record<string, number>) => ({
  status: code,
  body: { ok: false, error_code: code, description, ...(parameters === undefined ? {} : { parameters }) },
});

const TELEGRAM_TAGS =
  /^<\/?(b|strong|i|em|u|ins|s|strike|del|code|pre|tg-spoiler|blockquote)>|^<a href="[^"<>]*">|^<\/a>/;

/** Telegram's HTML parse mode: the text as shown, or what it refuses. */
export function parseTelegramHtml(html: string): { text: string } | { error: string } {
  let text = '';
  for (let i = 0; i < html.length; ) {
    const rest = html.slice(i);
    if (rest.startsWith('<')) {
      const tag = TELEGRAM_TAGS.exec(rest)?.[0];
      if (tag === undefined)
        return { error: `can't parse entities: Unsupported start tag at byte offset ${i}` };
      i += tag.length;
    } else if (rest.startsWith('&')) {
      const entity = /^&(lt|gt|amp|quot|#\d+);/.exec(rest)?.[0];
      if (entity === undefined)
        return { error: `can't parse entities: Character '&' is reserved at byte offset ${i}` };
      text += { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"' }[entity] ?? '?';
      i += entity.length;
    } else {
      text += html[i];
      i++;
    }
  }
  return { text };
}

export type TelegramError = 'rate-limit' | 'chat-not-found' | 'blocked' | 'migrated';

export function startTelegram(bot = TELEGRAM, opts: { retryAfter?: number; threads?: number[] } = {}) {
  return startProviderReceiver<TelegramError>({
    check(req) {
      const method = /^\/bot([^/]+)\/(\w+)$/.exec(req.path);
      if (method === null || req.method !== 'POST') return telegramError(404, 'Not Found');
      if (method[1] !== bot.botToken) return telegramError(401, 'Unauthorized');
      if (method[2] !== 'sendMessage') return telegramError(404, 'Not Found: method not found');
      if (!/^application\/json/.test(req.headers['content-type'] ?? '')) {
        return telegramError(400, 'Bad Request: chat_id is empty');
      }
      const body = jsonBody(req);
      if (body.chat_id === undefined || body.chat_id === '')
        return telegramError(400, 'Bad Request: chat_id is empty');
      if (body.chat_id !== bot.chatId) return telegramError(400, 'Bad Request: chat not found');
      if (
        body.message_thread_id !== undefined &&
        !(opts.threads ?? []).includes(body.message_thread_id as number)
      ) {
        return telegramError(400, 'Bad Request: message thread not found');
      }
      if (typeof body.text !== 'string' || body.text.trim() === '') {
        return telegramError(400, 'Bad Request: message text is empty');
      }
      const parsed = body.parse_mode === 'HTML' ? parseTelegramHtml(body.text) : { text: body.text };
      if ('error' in parsed) return telegramError(400, `Bad Request: ${parsed.error}`);
      if ([...parsed.text].length > 4096) return telegramError(400, 'Bad Request: message is too long');
      return null;
    },
    accept(req, n) {
      const body = jsonBody(req);
      const parsed = parseTelegramHtml(String(body.text));
      return {
        status: 200,
        body: {
          ok: true,
          result: {
            message_id: n,
            date: Math.floor(Date.now() / 1000),
            chat: { id: body.chat_id, type: 'supergroup', title: 'Ops' },
            ...(body.message_thread_id === undefined ? {} : { message_thread_id: body.message_thread_id }),
            text: 'text' in parsed ? parsed.text : '',
          },
        },
      };
    },
    errors: {
      'rate-limit': () => {
        const wait = opts.retryAfter ?? 1;
        return telegramError(429, `Too Many Requests: retry after ${wait}`, { retry_after: wait });
      },
      'chat-not-found': () => telegramError(400, 'Bad Request: chat not found'),
      blocked: () => telegramError(403, 'Forbidden: bot was blocked by the user'),
      migrated: () =>
        telegramError(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
          migrate_to_chat_id: -1009876543210,
        }),
    },
  });
}

/** The text a Telegram request shows, markup parsed. */
export function telegramText(req: ProviderRequest | undefined): string {
  const parsed = parseTelegramHtml(String(jsonBody(req as ProviderRequest).text ?? ''));
  return 'text' in parsed ? parsed.text : '';
}

// ------------------------------------------------------------------------------------------------- Teams

const TEAMS_PATH = '/workflows/0123abcd/triggers/manual/paths/invoke';

const teamsError = (status: number, code: string, message: string, headers?: Record<string, string>) => ({
  status,
  body: { error: { code, message } },
  ...(headers === undefined ? {} : { headers }),
});

/** The texts of an Adaptive Card's RichTextBlocks and TextBlocks, one string per block. */
export function cardTexts(card: unknown): string[] {
  const body = (card as { body?: unknown[] })?.body ?? [];
  return body.map((block) => {
    const b = block as { type?: string; text?: string; inlines?: { text?: string }[] };
    return b.type === 'TextBlock' ? String(b.text) : (b.inlines ?? []).map((r) => r.text ?? '').join('');
  });
}

export type TeamsError = 'too-large' | 'rate-limit' | 'unavailable';

export function startTeams() {
  const receiver = startProviderReceiver<TeamsError>({
    maxBytes: {
      bytes: 28 * 1024,
      answer: teamsError(413, 'MessageSizeExceeded', 'Request Entity Too Large: the message is over 28 KB'),
    },
    check(req) {
      if (req.method !== 'POST' || req.path !== TEAMS_PATH) return teamsError(404, 'NotFound', 'Not Found');
      const body = jsonBody(req);
      const attachment = (body.attachments as Record<string, unknown>[] | undefined)?.[0];
      const card = attachment?.content as { type?: unknown; version?: unknown; body?: unknown } | undefined;
      if (
        body.type !== 'message' ||
        attachment?.contentType !== 'application/vnd.microsoft.card.adaptive' ||
        card?.type !== 'AdaptiveCard' ||
        typeof card.version !== 'string' ||
        !Array.isArray(card.body)
      ) {
        return teamsError(
          400,
          'InvalidRequestContent',
          'The request content is not an Adaptive Card message',
        );
      }
      return null;
    },
    accept: () => ({ status: 202 }),
    errors: {
      'too-large': () => teamsError(413, 'MessageSizeExceeded', 'Request Entity Too Large'),
      'rate-limit': () =>
        teamsError(429, 'TooManyRequests', 'Rate limit is exceeded', { 'retry-after': '1' }),
      unavailable: () => teamsError(502, 'BadGateway', 'Bad Gateway'),
    },
  });
  return receiver.then((r) => ({
    ...r,
    webhookUrl: `${r.url}${TEAMS_PATH}?api-version=1&sig=teams-sig-0123`,
  }));
}

/** The card of a Teams request. */
export function teamsCardOf(req: ProviderRequest | undefined): unknown {
  return (jsonBody(req as ProviderRequest).attachments as { content?: unknown }[] | undefined)?.[0]?.content;
}

// ------------------------------------------------------------------------------------------- Google Chat

export const GOOGLE_CHAT = { space: 'AAAAbCdEfGh', key: 'google-key-0123', token: 'google-token-0123' };

const googleError = (code: number, status: string, message: string) => ({
  status: code,
  body: { error: { code, message, status } },
});

export type GoogleChatError = 'rate-limit' | 'not-found' | 'unavailable';

export function startGoogleChat(space = GOOGLE_CHAT) {
  const path = `/v1/spaces/${space.space}/messages`;
  const receiver = startProviderReceiver<GoogleChatError>({
    maxBytes: { bytes: 32_000, answer: googleError(400, 'INVALID_ARGUMENT', 'Message too large.') },
    check(req) {
      if (req.method !== 'POST' || req.path !== path)
        return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
      if (req.query.get('key') !== space.key || req.query.get('token') !== space.token) {
        return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
      }
      if (!/^application\/json/.test(req.headers['content-type'] ?? '')) {
        return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
      }
      const text = jsonBody(req).text;
      if (typeof text !== 'string' || text.trim() === '') {
        return googleError(400, 'INVALID_ARGUMENT', 'Message cannot be empty. Discarded empty message.');
      }
      return null;
    },
    accept: (req, n) => ({
      status: 200,
      body: {
        name: `spaces/${space.space}/messages/msg${n}.msg${n}`,
        sender: { name: 'users/114022495153014004089', type: 'BOT' },
        text: jsonBody(req).text,
        space: { name: `spaces/${space.space}` },
        createTime: new Date().toISOString(),
      },
    }),
    errors: {
      'rate-limit': () =>
        googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'),
      'not-found': () => googleError(404, 'NOT_FOUND', 'Requested entity was not found.'),
      unavailable: () => googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.'),
    },
  });
  return receiver.then((r) => ({
    ...r,
    webhookUrl: `${r.url}${path}?key=${space.key}&token=${space.token}`,
  }));
}

// ------------------------------------------------------------------------------------------- Mattermost

const MATTERMOST_HOOK = 'xxx-generatedkey-xxx';

const mattermostError = (status: number, id: string, message: string, headers?: Record<string, string>) => ({
  status,
  body: { id, message, detailed_error: '', request_id: 'hoan6o9ws7rp5xj7wu9rmysrte', status_code: status },
  ...(headers === undefined ? {} : { headers }),
});

export type MattermostError = 'rate-limit' | 'server-error';

export function startMattermost() {
  const receiver = startProviderReceiver<MattermostError>({
    check(req) {
      if (req.method !== 'POST' || req.path !== `/hooks/${MATTERMOST_HOOK}`) {
        return mattermostError(400, 'web.incoming_webhook.invalid.app_error', 'Invalid webhook.');
      }
      if (!/^application\/json/.test(req.headers['content-type'] ?? '')) {
        return mattermostError(400, 'web.incoming_webhook.parse.app_error', 'Unable to parse incoming data.');
      }
      const text = jsonBody(req).text;
      if (typeof text !== 'string' || text.trim() === '') {
        return mattermostError(400, 'web.incoming_webhook.text.app_error', 'No text specified.');
      }
      return null;
    },
    accept: () => ({ status: 200, body: 'ok' }),
    errors: {
      'rate-limit': () =>
        mattermostError(429, 'api.context.rate_limit.app_error', 'Too many requests.', {
          'retry-after': '1',
        }),
      'server-error': () => mattermostError(500, 'app.post.save.app_error', 'Unable to save the post.'),
    },
  });
  return receiver.then((r) => ({ ...r, webhookUrl: `${r.url}/hooks/${MATTERMOST_HOOK}` }));
}

// ------------------------------------------------------------------------------------------ Rocket.Chat

const ROCKETCHAT_HOOK = '/hooks/6f3a7b8c9d0e1f2a3b4c5d6e/rocket-token-0123456789';

const rocketFailure = (status: number, error: string) => ({ status, body: { success: false, error } });

export type RocketChatError = 'rate-limit' | 'server-error';

export function startRocketChat() {
  const receiver = startProviderReceiver<RocketChatError>({
    check(req) {
      if (req.method !== 'POST' || req.path !== ROCKETCHAT_HOOK) {
        return rocketFailure(400, 'Invalid integration id or token provided.');
      }
      const text = jsonBody(req).text;
      if (typeof text !== 'string' || text.trim() === '') return rocketFailure(400, 'Invalid message');
      return null;
    },
    accept: () => ({ status: 200, body: { success: true } }),
    errors: {
      'rate-limit': () =>
        rocketFailure(
          429,
          'Error, too many requests. Please slow down. You must wait 1 seconds before trying this endpoint again. [error-too-many-requests]',
        ),
      'server-error': () => rocketFailure(500, 'Internal server error'),
    },
  });
  return receiver.then((r) => ({ ...r, webhookUrl: `${r.url}${ROCKETCHAT_HOOK}` }));
}

// ----------------------------------------------------------------------------------------------- Matrix

export const MATRIX = { roomId: '!AbCdEfGh:example.org', accessToken: 'syt_Ym90_matrix-token_0123' };

const matrixError = (
  status: number,
  errcode: string,
  error: string,
  extra: Record<string, unknown> = {},
) => ({
  status,
  body: { errcode, error, ...extra },
});

export type MatrixError = 'rate-limit' | 'forbidden' | 'unavailable' | 'lost-answer';

export interface MatrixEvent {
  txnId: string;
  eventId: string;
  content: Record<string, unknown>;
}

export async function startMatrix(account = MATRIX, opts: { retryAfterMs?: number } = {}) {
  const events: MatrixEvent[] = [];
  const byTxn = new Map<string, MatrixEvent>();
  const route = /^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/m\.room\.message\/([^/]+)$/;
  // Transaction ids are scoped to the access token: the same one again is the same event.
  const accept = (req: ProviderRequest) => {
    const txnId = route.exec(req.path)?.[2] ?? '';
    let event = byTxn.get(txnId);
    if (event === undefined) {
      event = { txnId, eventId: `$event${events.length + 1}:example.org`, content: jsonBody(req) };
      events.push(event);
      byTxn.set(txnId, event);
    }
    return { status: 200, body: { event_id: event.eventId } };
  };
  const receiver = await startProviderReceiver<MatrixError>({
    maxBytes: { bytes: 65_536, answer: matrixError(413, 'M_TOO_LARGE', 'Event too large') },
    check(req) {
      const match = route.exec(req.path);
      if (match === null) return matrixError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
      if (req.method !== 'PUT') return matrixError(405, 'M_UNRECOGNIZED', 'Unrecognized request');
      const auth = req.headers.authorization;
      if (auth === undefined) return matrixError(401, 'M_MISSING_TOKEN', 'Missing access token');
      if (auth !== `Bearer ${account.accessToken}`) {
        return matrixError(401, 'M_UNKNOWN_TOKEN', 'Invalid access token passed.', { soft_logout: false });
      }
      if (match[1] !== account.roomId) {
        return matrixError(403, 'M_FORBIDDEN', `User @monitor:example.org not in room ${match[1]}`);
      }
      if (req.json === undefined) return matrixError(400, 'M_NOT_JSON', 'Content not JSON.');
      const body = jsonBody(req);
      if (typeof body.msgtype !== 'string' || typeof body.body !== 'string') {
        return matrixError(400, 'M_BAD_JSON', 'msgtype and body are required');
      }
      return null;
    },
    accept,
    errors: {
      'rate-limit': () =>
        matrixError(429, 'M_LIMIT_EXCEEDED', 'Too Many Requests', {
          retry_after_ms: opts.retryAfterMs ?? 500,
        }),
      forbidden: (req) =>
        matrixError(403, 'M_FORBIDDEN', `User @monitor:example.org not in room ${req.path}`),
      unavailable: () => ({ status: 502, body: 'Bad Gateway' }),
      // The event is made, but the answer never comes back: the client cannot know, and sends again.
      'lost-answer': (req) => ({ ...accept(req), hang: true }),
    },
  });
  return { ...receiver, events };
}
