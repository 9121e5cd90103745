/**
 * Email over SMTP with nodemailer. `smtp://` connects in plain text and upgrades with STARTTLS when the
 * server offers it; `smtps://` is TLS from the first byte (port 465). Replies: 4xx transient, 5xx
 * permanent, as RFC 5321 means them; a refused login (535) is permanent, since retrying the same
 * password for a day would only lock the account.
 *
 * Addresses come only from the config: nothing a monitored server sends can reach a header, since every
 * text in the message was made one line when it was built (message.ts) and nodemailer encodes the rest.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { hostname } from 'node:os';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { z } from 'zod';
import { expected } from '../util/wording.js';
import { NotifyError, type NotifyErrorCode } from './errors.js';
import { secretExpected, text } from './fields.js';
import type { Delivery, SendContext } from './http.js';
import { renderHtml, renderText } from './message.js';
import { hasControl, oneLine } from './text.js';
import type { Channel, ChannelDeps, Notifier } from './types.js';

export interface SmtpServer {
  secure: boolean;
  host: string;
  port: number;
  user: string | null;
  password: string | null;
}

export interface EmailConfig {
  type: 'email';
  smtp: SmtpServer;
  from: string;
  to: string[];
  subjectPrefix: string;
}

const SMTP_EXAMPLE = 'smtp://user:${SMTP_PASSWORD}@mail.example.com:587';

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The SMTP URL's parts, or why it cannot be used. Split by hand rather than by a URL parser: a password
 * from ${SMTP_PASSWORD} may hold "/", "?", "#" or "@", which would end a URL's authority early and put
 * part of the password where messages show it. The credentials end at the last "@"; messages show them
 * as "***".
 */
export function parseSmtpUrl(text: string): SmtpServer | string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== 'smtp' && scheme !== 'smtps') {
    return `expected an smtp:// URL (STARTTLS when the server offers it) or smtps:// (TLS from the start) such as "${SMTP_EXAMPLE}", found ${scheme === undefined ? 'no scheme' : `"${scheme}://"`}`;
  }
  const rest = text.slice(scheme.length + 3);
  const at = rest.lastIndexOf('@');
  const userinfo = at === -1 ? null : rest.slice(0, at);
  const hostPort = (at === -1 ? rest : rest.slice(at + 1)).replace(/\/$/, '');
  const shown = JSON.stringify(`${scheme}://${userinfo === null ? '' : '***@'}${hostPort}`);
  if (hostPort === '') return `no host in ${shown}`;
  if (/[/?#]/.test(hostPort))
    return `${shown} has a path or query: write only scheme, credentials, host and port`;
  let url: URL;
  try {
    url = new URL(`http://${hostPort}`);
  } catch {
    return `${shown} does not end in a valid host and port, such as "mail.example.com:587"`;
  }
  const colon = userinfo?.indexOf(':') ?? -1;
  const user = userinfo === null ? '' : colon === -1 ? userinfo : userinfo.slice(0, colon);
  const password = userinfo === null || colon === -1 ? '' : userinfo.slice(colon + 1);
  return {
    secure: scheme === 'smtps',
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (scheme === 'smtps' ? 465 : 587) : Number(url.port),
    user: user === '' ? null : decode(user),
    password: password === '' ? null : decode(password),
  };
}

// One address, optionally with a display name: `ops@example.com` or `Ops Team <ops@example.com>`. No
// commas, semicolons or quotes: each entry must be exactly one recipient.
const ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/;
const NAMED = /^([^<>,;"\\]*)<([^<>]+)>$/;

export function checkAddress(value: string): string | null {
  if (hasControl(value)) return 'contains a line break or control character';
  const named = NAMED.exec(value.trim());
  const address = named ? (named[2] ?? '').trim() : value.trim();
  if (!ADDRESS.test(address)) {
    return `${JSON.stringify(value)} is not one email address: write "ops@example.com" or "Ops <ops@example.com>"`;
  }
  return null;
}

const address = z
  .string({ error: expected('an email address such as "ops@example.com"') })
  .superRefine((v, ctx) => {
    const problem = checkAddress(v);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

const schema = z
  .strictObject({
    type: z.literal('email'),
    smtp: z
      .string({ error: secretExpected(`an SMTP URL such as "${SMTP_EXAMPLE}"`) })
      .transform((v, ctx) => {
        const parsed = parseSmtpUrl(v);
        if (typeof parsed === 'string') {
          ctx.issues.push({ code: 'custom', input: v, message: parsed });
          return z.NEVER;
        }
        return parsed;
      })
      .describe(
        'smtp://user:${SMTP_PASSWORD}@host:587 (STARTTLS when the server offers it) or smtps://user:...@host:465 (TLS from the start).',
      ),
    password: z
      .string({ error: secretExpected('a password string, such as "${SMTP_PASSWORD}"') })
      .optional()
      .describe("The SMTP password, instead of the URL's (no percent-encoding needed)."),
    from: address.describe('Sender address, such as "uptime-squirrel <monitor@example.com>".'),
    to: z
      .union([address, z.array(address).min(1, { error: 'the list is empty: give at least one address' })], {
        error: expected('an address or a list of addresses, such as ["ops@example.com"]'),
      })
      .describe('Recipients: one address or a list.'),
    subjectPrefix: text('a subject prefix', 60)
      .optional()
      .describe('Put before every subject; "[uptime-squirrel]" by default.'),
  })
  .transform(
    (c): EmailConfig => ({
      type: 'email',
      smtp: c.password === undefined ? c.smtp : { ...c.smtp, password: c.password },
      from: c.from,
      to: typeof c.to === 'string' ? [c.to] : c.to,
      subjectPrefix: c.subjectPrefix ?? '[uptime-squirrel]',
    }),
  );

const NETWORK_CODES = new Set([
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROTOCOL',
  'ECONNREFUSED',
  'ECONNRESET',
]);

const STEP: Record<string, string> = {
  CONN: 'the connection',
  'MAIL FROM': 'the sender',
  'RCPT TO': 'the recipients',
  DATA: 'the message',
  API: 'the message',
};

/** nodemailer's error (code, responseCode, response, command) as a NotifyError. */
export function smtpError(error: unknown, redact: (text: string) => string, timeoutMs: number): NotifyError {
  const e = error as {
    code?: unknown;
    responseCode?: unknown;
    response?: unknown;
    command?: unknown;
    message?: unknown;
  };
  const reply = typeof e.response === 'string' ? oneLine(redact(e.response), 300) : undefined;
  const detail = oneLine(redact(String(e.message ?? error)), 300);
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) {
    const smtpCode = e.responseCode;
    const transient = smtpCode < 500;
    const auth = e.code === 'EAUTH' || String(e.command ?? '').startsWith('AUTH');
    const code: NotifyErrorCode = auth ? 'US_ERR_NOTIFY_AUTH' : 'US_ERR_NOTIFY_SMTP';
    const step = auth ? 'the login' : (STEP[String(e.command ?? '')] ?? 'the message');
    return new NotifyError(code, `the SMTP server refused ${step}: ${reply ?? `${smtpCode} ${detail}`}`, {
      transient,
      answer: reply === undefined ? { smtpCode } : { smtpCode, text: reply },
      cause: error,
    });
  }
  if (e.code === 'ETIMEDOUT') {
    return new NotifyError(
      'US_ERR_NOTIFY_TIMEOUT',
      `the SMTP server did not answer within ${timeoutMs} ms (${detail})`,
      {
        transient: true,
        cause: error,
      },
    );
  }
  if (e.code === 'EAUTH') {
    return new NotifyError('US_ERR_NOTIFY_AUTH', `cannot log in to the SMTP server: ${detail}`, {
      transient: false,
      cause: error,
    });
  }
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) {
    return new NotifyError('US_ERR_NOTIFY_NETWORK', `cannot reach the SMTP server: ${detail}`, {
      transient: true,
      cause: error,
    });
  }
  return new NotifyError('US_ERR_NOTIFY_FAILED', `the email could not be sent: ${detail}`, {
    transient: false,
    cause: error,
  });
}

/** Resolves or rejects like `promise`, but no later than `ms` (nodemailer takes no abort signal). */
function bounded<T>(
  promise: Promise<T>,
  ms: number,
  signal: AbortSignal | undefined,
  onTimeout: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    const abort = () => reject(signal?.reason);
    signal?.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    });
  });
}

function createEmailChannel(name: string, config: EmailConfig, deps: ChannelDeps = {}): Channel {
  const { smtp } = config;
  const secrets = [smtp.password, smtp.password && encodeURIComponent(smtp.password)].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
  return {
    name,
    type: 'email',
    secrets,
    async send(message, ctx: SendContext): Promise<Delivery> {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      const { default: nodemailer } = await import('nodemailer');
      const t = ctx.timeoutMs;
      const options: SMTPTransport.Options = {
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        auth: smtp.user === null ? undefined : { user: smtp.user, pass: smtp.password ?? '' },
        connectionTimeout: t,
        greetingTimeout: t,
        socketTimeout: t,
        dnsTimeout: t,
        tls: deps.ca === undefined ? undefined : { ca: deps.ca },
        // Message content is ours; nodemailer must never read a file or fetch a URL named in it.
        disableFileAccess: true,
        disableUrlAccess: true,
        name: hostname(),
      };
      const transport = nodemailer.createTransport(options);
      try {
        const info = await bounded(
          transport.sendMail({
            from: config.from,
            to: config.to,
            subject: oneLine(`${config.subjectPrefix} ${message.title}`, 250),
            text: renderText(message),
            html: renderHtml(message),
            messageId: `<${message.id}@uptime-squirrel.invalid>`,
            headers: { 'X-Uptime-Squirrel': message.kind },
          }),
          t + 1000,
          ctx.signal,
          () =>
            new NotifyError('US_ERR_NOTIFY_TIMEOUT', `the SMTP server did not finish within ${t} ms`, {
              transient: true,
            }),
        );
        const rejected = info.rejected.map((a) => (typeof a === 'string' ? a : a.address));
        const answer = oneLine(ctx.redact(info.response ?? 'accepted'), 300);
        return {
          answer: rejected.length === 0 ? answer : `${answer} (refused for ${rejected.join(', ')})`,
        };
      } catch (error) {
        if (ctx.signal?.aborted) throw ctx.signal.reason;
        if (error instanceof NotifyError) throw error;
        throw smtpError(error, ctx.redact, t);
      } finally {
        transport.close();
      }
    },
  };
}

export const emailNotifier: Notifier<EmailConfig> = {
  schema,
  keys: ['type', 'smtp', 'password', 'from', 'to', 'subjectPrefix'],
  example: `{"type": "email", "smtp": "${SMTP_EXAMPLE}", "from": "monitor@example.com", "to": ["ops@example.com"]}`,
  create: createEmailChannel,
};
