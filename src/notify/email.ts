/**
 * Email over SMTP with nodemailer; the settings are checked in channels/email.ts. `smtp://` connects in
 * plain text and upgrades with STARTTLS when the server offers it; `smtps://` is TLS from the first byte
 * (port 465). Replies: 4xx transient, 5xx permanent, as RFC 5321 means them; a refused login (535) is
 * permanent, since retrying the same password for a day would only lock the account.
 *
 * Addresses come only from the config: nothing a monitored server sends can reach a header, since every
 * text in the message was made one line when it was built (fold.ts, compose.ts) and nodemailer encodes the rest.
 */

import { hostname } from 'node:os';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { EmailConfig } from '../channels/email.js';
import { NotifyError, type NotifyErrorCode } from './errors.js';
import type { Delivery, SendContext } from './http.js';
import { renderHtml } from './render/html.js';
import { renderText } from './render/text.js';
import { oneLine } from './text.js';
import type { Channel, ChannelDeps, Notifier } from './types.js';

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

export const emailNotifier: Notifier<EmailConfig> = { create: createEmailChannel };
