import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface NodeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface NodeRequestOptions {
  method?: string;
  headers?: OutgoingHttpHeaders;
  /** CA to trust for https URLs (e.g. caCert()); without it only the system CAs are trusted. */
  ca?: Buffer;
  /** Name to verify the certificate against instead of the URL's host. */
  servername?: string;
  /** The request is destroyed with code CLIENT_TIMEOUT after this long; default 3 s. */
  timeoutMs?: number;
  /** Called for every 1xx interim response. */
  onInformation?: (status: number) => void;
}

/**
 * A plain node:http(s) request, without pooling (agent: false), resolving with the whole body or
 * rejecting with the socket, TLS or parser error as Node reports it. For checking the helpers
 * themselves independently of the code under test.
 */
export function nodeRequest(url: string, opts: NodeRequestOptions = {}): Promise<NodeResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeoutMs = opts.timeoutMs ?? 3000;
  return new Promise((resolve, reject) => {
    const req = send(target, {
      method: opts.method ?? 'GET',
      headers: opts.headers,
      agent: false,
      ...(opts.ca ? { ca: opts.ca } : {}),
      ...(opts.servername ? { servername: opts.servername } : {}),
    });
    const timer = setTimeout(() => {
      req.destroy(Object.assign(new Error(`no response within ${timeoutMs} ms`), { code: 'CLIENT_TIMEOUT' }));
    }, timeoutMs);
    req.on('information', (info: { statusCode: number }) => opts.onInformation?.(info.statusCode));
    req.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.once('response', (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        body += text;
      });
      res.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      res.once('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.end();
  });
}
