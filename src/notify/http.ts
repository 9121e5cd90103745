/**
 * One HTTP request with a body (JSON by default, or a form with its own content-type header) for the
 * notifiers that speak HTTP, over a shared undici dispatcher (pooled connections, a bounded number per
 * origin), within a deadline, with the answer classified: 2xx delivered; 5xx, 429 and 408 transient; other
 * statuses permanent. A provider that answers in its body (an error inside a 200, the wait inside a 429)
 * reads it with `judge`.
 */

import { type Dispatcher, request } from 'undici';
import { USER_AGENT } from '../core/version.js';
import { NotifyError } from './errors.js';
import { oneLine } from './text.js';

/** What a send gets from the loop that runs it. */
export interface SendContext {
  /** The shared dispatcher (undici Agent); the global one when absent. */
  dispatcher?: Dispatcher;
  /** Aborted when the daemon stops: the send is abandoned, not failed. */
  signal?: AbortSignal;
  /** The whole send, connection to last byte of the answer. */
  timeoutMs: number;
  /** Masks secrets in anything that goes into an error or a log. */
  redact: (text: string) => string;
}

/** A delivered message, and what the server said about it. */
export interface Delivery {
  /** One line for the log: `250 2.0.0 Ok: queued as ABC`, `HTTP 204`. */
  answer: string;
}

/** The body text kept from an answer: enough for an error message, never a whole page. */
const ANSWER_BYTES = 2048;

async function readSome(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= ANSWER_BYTES) break;
    }
  } catch {
    // What arrived before the body broke off is answer enough.
  } finally {
    // An answer cut short (too long, or broken off) is abandoned; its stream's error is not ours to report.
    body.on('error', () => {});
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, ANSWER_BYTES).toString('utf8');
}

function retryAfter(value: string | string[] | undefined, now: number): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Errors undici raises for a request we built wrongly: retrying the same request cannot help. */
function isOurFault(code: unknown): boolean {
  return typeof code === 'string' && (code.startsWith('UND_ERR_INVALID') || code === 'UND_ERR_NOT_SUPPORTED');
}

export interface PostOptions {
  headers?: Record<string, string>;
  method?: 'POST' | 'PUT';
  /** What the endpoint is called in messages ("webhook", "Slack"). */
  what: string;
  /**
   * The provider's own verdict, read from the start of the answer's body: the error to throw instead of
   * the status's (an error inside a 200, the wait a 429 asks for in its body), the delivery as the log
   * should say it ("HTTP 201 SM0123 queued"), or null for the status's verdict.
   */
  judge?: (answer: Answer) => NotifyError | Delivery | null;
}

/** An endpoint's answer, as a provider's `judge` reads it. */
export interface Answer {
  status: number;
  /** The start of the body (at most 2 KiB), redacted. */
  body: string;
  /** The same, one line of at most 300 characters: what error messages quote. */
  text: string;
  /** From a Retry-After header. */
  retryAfterMs: number | null;
}

/** 5xx, 429 (too many requests) and 408 (request timeout): the same request may go through later. */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/** The answer's body as a JSON object, or null when it is not one (an HTML error page, a cut-off body). */
export function answerObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The error for an answer outside 2xx, or for a refusal a provider wrapped in a 2xx. */
export function refusal(
  what: string,
  status: number,
  text: string,
  opts: { transient: boolean; retryAfterMs?: number | null; reason?: string },
): NotifyError {
  const answer = text === '' ? { httpStatus: status } : { httpStatus: status, text };
  const reason = opts.reason ?? text;
  return new NotifyError(
    'US_ERR_NOTIFY_HTTP',
    `the ${what} answered HTTP ${status}${reason === '' ? '' : `: ${reason}`}`,
    { transient: opts.transient, answer, retryAfterMs: opts.retryAfterMs ?? null },
  );
}

/**
 * Sends `body` (JSON text, or what the content-type header given says) to `url`.
 * @throws NotifyError: US_ERR_NOTIFY_HTTP (non-2xx), US_ERR_NOTIFY_TIMEOUT, US_ERR_NOTIFY_NETWORK;
 *   the stop signal's reason when the daemon stops
 */
export async function postJson(
  url: string,
  body: string,
  ctx: SendContext,
  opts: PostOptions,
): Promise<Delivery> {
  const deadline = AbortSignal.timeout(ctx.timeoutMs);
  const signal = ctx.signal === undefined ? deadline : AbortSignal.any([ctx.signal, deadline]);
  try {
    const res = await request(url, {
      method: opts.method ?? 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...opts.headers },
      body,
      dispatcher: ctx.dispatcher,
      signal,
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
    });
    const start = ctx.redact(await readSome(res.body));
    const text = oneLine(start, 300);
    const status = res.statusCode;
    const retryAfterMs = retryAfter(res.headers['retry-after'], Date.now());
    const judged = opts.judge?.({ status, body: start, text, retryAfterMs }) ?? null;
    if (judged instanceof NotifyError) throw judged;
    if (judged !== null) return judged;
    if (status >= 200 && status < 300) {
      return { answer: text === '' ? `HTTP ${status}` : `HTTP ${status} ${text}` };
    }
    throw refusal(opts.what, status, text, {
      transient: isTransientStatus(status),
      retryAfterMs,
    });
  } catch (error) {
    if (error instanceof NotifyError) throw error;
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    if (deadline.aborted) {
      throw new NotifyError(
        'US_ERR_NOTIFY_TIMEOUT',
        `the ${opts.what} did not answer within ${ctx.timeoutMs} ms`,
        { transient: true, cause: error },
      );
    }
    const code = (error as { code?: unknown }).code;
    const reason = oneLine(ctx.redact((error as Error).message ?? String(error)), 300);
    throw new NotifyError(
      isOurFault(code) ? 'US_ERR_NOTIFY_FAILED' : 'US_ERR_NOTIFY_NETWORK',
      `cannot reach the ${opts.what}: ${reason}${typeof code === 'string' && !reason.includes(code) ? ` (${code})` : ''}`,
      { transient: !isOurFault(code), cause: error },
    );
  }
}
