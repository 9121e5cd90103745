/**
 * Why a send failed, as one typed error every notifier rejects with: a stable code, whether trying again
 * can help, and what the server answered (SMTP reply code, HTTP status and the start of its text).
 * The delivery loop retries transient failures with backoff and gives up at once on permanent ones.
 */

import { SquirrelError } from '../core/errors.js';

export type NotifyErrorCode =
  /** Connection refused, reset, DNS failure, TLS failure: the server was not reached or not finished with. */
  | 'US_ERR_NOTIFY_NETWORK'
  /** No answer within the send timeout. */
  | 'US_ERR_NOTIFY_TIMEOUT'
  /** The SMTP server refused the credentials (535) or no login was possible. */
  | 'US_ERR_NOTIFY_AUTH'
  /** The SMTP server answered a command with an error reply (4xx transient, 5xx permanent). */
  | 'US_ERR_NOTIFY_SMTP'
  /** The HTTP endpoint answered with a status outside 2xx (5xx and 429 transient, others permanent). */
  | 'US_ERR_NOTIFY_HTTP'
  /** Anything else the transport reported; permanent, since retrying an unknown fault rarely helps. */
  | 'US_ERR_NOTIFY_FAILED';

/** What the server said, when it said anything. */
export interface ServerAnswer {
  /** SMTP reply code (250, 451, 550...). */
  smtpCode?: number;
  /** HTTP status (200, 404, 500...). */
  httpStatus?: number;
  /** The reply text or the start of the response body: one line, control characters removed, redacted. */
  text?: string;
}

export class NotifyError extends SquirrelError {
  override readonly code: NotifyErrorCode;
  /** True when the same message may go through later (network, SMTP 4xx, HTTP 5xx and 429). */
  readonly transient: boolean;
  readonly answer: ServerAnswer | null;
  /** From a Retry-After header: the earliest sensible retry, in ms. */
  readonly retryAfterMs: number | null;

  constructor(
    code: NotifyErrorCode,
    message: string,
    opts: { transient: boolean; answer?: ServerAnswer | null; retryAfterMs?: number | null; cause?: unknown },
  ) {
    super(code, message, { cause: opts.cause });
    this.code = code;
    this.transient = opts.transient;
    this.answer = opts.answer ?? null;
    this.retryAfterMs = opts.retryAfterMs ?? null;
  }
}

/** The server's answer as people read it: `SMTP 550 5.1.1 user unknown`, `HTTP 404 no_service`. */
export function describeAnswer(answer: ServerAnswer | null): string | null {
  if (answer === null) return null;
  const head =
    answer.smtpCode !== undefined
      ? `SMTP ${answer.smtpCode}`
      : answer.httpStatus !== undefined
        ? `HTTP ${answer.httpStatus}`
        : '';
  const text = answer.text ?? '';
  // An SMTP reply text starts with its own code; do not say it twice.
  if (answer.smtpCode !== undefined && text.startsWith(String(answer.smtpCode))) return text;
  return [head, text].filter(Boolean).join(' ') || null;
}

/** Any thrown value as a NotifyError: what a notifier did not classify itself is permanent. */
export function asNotifyError(error: unknown): NotifyError {
  if (error instanceof NotifyError) return error;
  return new NotifyError('US_ERR_NOTIFY_FAILED', (error as Error)?.message ?? String(error), {
    transient: false,
    cause: error,
  });
}
