import type { IncomingHttpHeaders } from 'node:http';
import { startHttpServer } from './http-server.js';

/** How the receiver answers a request: a status (with an optional body), or never. */
export type WebhookReply =
  | number
  | 'hang'
  | { status: number; body?: string; headers?: Record<string, string> };

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown;
  /** What the receiver answered. */
  reply: WebhookReply;
}

export interface TestWebhookReceiver {
  /** `http://127.0.0.1:PORT/hook` (any path is accepted). */
  url: string;
  port: number;
  /** Every request, in order of arrival (after its body was read). */
  requests: ReceivedRequest[];
  /** The requests answered with a 2xx status. */
  delivered(): ReceivedRequest[];
  /** Answers for the next requests, in order; then the default. */
  script(...replies: WebhookReply[]): void;
  /** The answer once the script is used up (200 at first). */
  setDefault(reply: WebhookReply): void;
  /** Resolves when `n` requests have arrived. */
  waitForRequests(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records JSON posts and answers as scripted. */
export async function startWebhookReceiver(): Promise<TestWebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const replies: WebhookReply[] = [];
  let fallback: WebhookReply = 200;
  const server = await startHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const reply = replies.shift() ?? fallback;
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        json,
        reply,
      });
      if (reply === 'hang') return;
      const {
        status,
        body: answer,
        headers,
      } = typeof reply === 'number' ? { status: reply, body: undefined, headers: undefined } : reply;
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end(answer ?? (status === 204 ? undefined : status < 300 ? 'ok' : `error ${status}`));
    });
  });
  return {
    url: `${server.url}/hook`,
    port: server.port,
    requests,
    delivered: () =>
      requests.filter((r) => {
        const status = typeof r.reply === 'number' ? r.reply : r.reply === 'hang' ? 0 : r.reply.status;
        return status >= 200 && status < 300;
      }),
    script(...next) {
      replies.push(...next);
    },
    setDefault(reply) {
      fallback = reply;
    },
    async waitForRequests(n, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < n) {
        if (Date.now() > deadline)
          throw new Error(`${requests.length} of ${n} requests within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return requests;
    },
    close: server.close,
  };
}

/** The JSON body of a request that must have arrived. */
export function jsonOf<T>(request: ReceivedRequest | undefined): T {
  if (request === undefined) throw new Error('no such request');
  return request.json as T;
}
