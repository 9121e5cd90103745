/**
 * The frame of a local stand-in for a provider's API (Twilio, Telegram, Pushover...): a real HTTP server on
 * 127.0.0.1 that reads each request, checks it against the provider's documented contract (the family
 * files in this folder say what that is) and answers as the provider would: its success document, the
 * refusal a request that breaks the contract gets, or an error the test asked for by name (invalid
 * number, rate limit...). Requests are recorded with what they were answered.
 */

import type { IncomingHttpHeaders } from 'node:http';
import { startHttpServer } from './http-server.js';

/** What the server answers: a status, a body (an object is sent as JSON) and headers. */
export interface ProviderAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Whether the provider took the message (it will reach people). By default a 2xx status; Vonage
   * answers 200 to refusals too.
   */
  accepted?: boolean;
  /** Act on the request but never answer (an answer lost on the way back). */
  hang?: boolean;
}

export interface ProviderRequest {
  method: string;
  /** The path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
  /** The body as a form (empty when it is not form-encoded). */
  form: URLSearchParams;
  answer: ProviderAnswer;
  /** When it arrived (Date.now()). */
  at: number;
}

/** Checks one request: the refusal the provider would give, or null when it is as the contract says. */
export type Contract = (req: ProviderRequest) => ProviderAnswer | null;

export interface ProviderSpec<E extends string> {
  /** The refusal of a request that breaks the contract, else null. */
  check: Contract;
  /** The provider's answer to a request it takes. */
  accept(req: ProviderRequest, n: number): ProviderAnswer;
  /** The provider's own errors, by name, that a test can ask for. */
  errors: Record<E, (req: ProviderRequest) => ProviderAnswer>;
  /** Bodies over this many bytes are refused with this answer (the provider's size limit). */
  maxBytes?: { bytes: number; answer: ProviderAnswer };
}

export interface ProviderReceiver<E extends string> {
  /** `http://127.0.0.1:PORT`: what a channel's `baseUrl` points at. */
  url: string;
  requests: ProviderRequest[];
  /** The requests the provider took, in order. */
  accepted(): ProviderRequest[];
  /** The next requests (that keep the contract) get these errors, in order. */
  fail(...errors: E[]): void;
  /** Resolves when `n` requests have arrived; rejects after `timeoutMs`. */
  waitForRequests(n: number, timeoutMs?: number): Promise<ProviderRequest[]>;
  close(): Promise<void>;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export async function startProviderReceiver<E extends string>(
  spec: ProviderSpec<E>,
): Promise<ProviderReceiver<E>> {
  const requests: ProviderRequest[] = [];
  const queued: E[] = [];
  const waiters: (() => void)[] = [];
  let taken = 0;
  const server = await startHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString('utf8');
      const url = new URL(req.url ?? '/', 'http://receiver');
      const form = /application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')
        ? new URLSearchParams(body)
        : new URLSearchParams();
      const request: ProviderRequest = {
        method: req.method ?? '',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: req.headers,
        body,
        json: parseJson(body),
        form,
        answer: { status: 0 },
        at: Date.now(),
      };
      const tooLarge =
        spec.maxBytes !== undefined && raw.length > spec.maxBytes.bytes ? spec.maxBytes.answer : null;
      const refused = tooLarge ?? spec.check(request);
      const error = refused === null ? queued.shift() : undefined;
      request.answer =
        refused ?? (error === undefined ? spec.accept(request, ++taken) : spec.errors[error](request));
      requests.push(request);
      for (const wake of waiters.splice(0)) wake();
      if (request.answer.hang) return;
      const { status, body: answer, headers } = request.answer;
      const text = answer === undefined ? '' : typeof answer === 'string' ? answer : JSON.stringify(answer);
      res.writeHead(status, {
        'content-type': typeof answer === 'string' ? 'text/plain' : 'application/json',
        ...headers,
      });
      res.end(text);
    });
  });
  const isAccepted = (r: ProviderRequest) =>
    !r.answer.hang && (r.answer.accepted ?? (r.answer.status >= 200 && r.answer.status < 300));
  return {
    url: server.url,
    requests,
    accepted: () => requests.filter(isAccepted),
    fail: (...errors) => void queued.push(...errors),
    async waitForRequests(n, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${requests.length} of ${n} requests within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return requests;
    },
    close: server.close,
  };
}

/** The Basic credentials of a request, or null. */
export function basicAuth(req: ProviderRequest): { user: string; password: string } | null {
  const match = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  if (match === null) return null;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The request's JSON body as an object (empty when it is not one). */
export function jsonBody(req: ProviderRequest): Record<string, unknown> {
  return typeof req.json === 'object' && req.json !== null && !Array.isArray(req.json)
    ? (req.json as Record<string, unknown>)
    : {};
}
