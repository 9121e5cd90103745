/**
 * HTTP proxies: which one a request takes (a site's own `proxy`, else HTTP_PROXY, HTTPS_PROXY and
 * NO_PROXY with undici's EnvHttpProxyAgent semantics), and the CONNECT tunnel an https request opens
 * through one. Plain http requests go to the proxy in absolute form (`GET http://host/path`), as curl
 * sends them, so proxies that allow CONNECT only to port 443 still carry them.
 */

import { isIPv6, type Socket } from 'node:net';
import { ConnectFailure, type Verdict } from './classify.js';

/** A proxy as the connector uses it. */
export interface ProxyTarget {
  /** The URL with credentials masked ("http://***@proxy.example:3128"), for messages and results. */
  label: string;
  /** Without brackets. */
  hostname: string;
  port: number;
  /** `Basic ...` from the URL's credentials; null without. */
  authorization: string | null;
}

/** A proxy URL, or why it cannot be used. */
export function parseProxy(text: string): ProxyTarget | { problem: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'not a URL' };
  }
  if (url.protocol !== 'http:') {
    return { problem: `only http:// proxies are supported, not ${url.protocol.replace(/:$/, '')}://` };
  }
  const credentials = url.username !== '' || url.password !== '';
  const authorization = credentials
    ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
    : null;
  return {
    label: `http://${credentials ? '***@' : ''}${url.host}`,
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: Number(url.port) || 80,
    authorization,
  };
}

interface NoProxyEntry {
  hostname: string;
  /** 0 for any port. */
  port: number;
}

/** The proxy settings of the environment, read once per client. */
export interface EnvProxies {
  http: string | null;
  https: string | null;
  /** NO_PROXY=* turns proxies off for every host. */
  noProxyAll: boolean;
  noProxy: NoProxyEntry[];
}

const stripBrackets = (host: string) =>
  host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;

function noProxyEntry(entry: string): NoProxyEntry {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { hostname: (bracketed[1] ?? '').toLowerCase(), port: Number(bracketed[2] ?? 0) };
  if (isIPv6(entry)) return { hostname: entry.toLowerCase(), port: 0 };
  const withPort = /^(.+):(\d+)$/.exec(entry);
  return {
    // A leading "." or "*." means the same as none: the name and every name under it.
    hostname: (withPort ? (withPort[1] ?? '') : entry).replace(/^\*?\./, '').toLowerCase(),
    port: withPort ? Number(withPort[2]) : 0,
  };
}

/**
 * http_proxy, else HTTP_PROXY, for http: URLs; https_proxy, else HTTPS_PROXY, else the http proxy, for
 * https: URLs; no_proxy, else NO_PROXY, lists hosts (and host:port) reached directly. Null when no proxy
 * is set at all: the common case costs one check per request.
 */
export function envProxies(env: Readonly<Record<string, string | undefined>>): EnvProxies | null {
  const http = env.http_proxy || env.HTTP_PROXY || null;
  const https = env.https_proxy || env.HTTPS_PROXY || http;
  if (http === null && https === null) return null;
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  return {
    http,
    https,
    noProxyAll: noProxy.trim() === '*',
    noProxy: noProxy
      .split(/[,\s]/)
      .filter((entry) => entry !== '')
      .map(noProxyEntry),
  };
}

/** The proxy URL the environment gives for this URL, or null to go direct. */
export function proxyFromEnv(env: EnvProxies, url: URL): string | null {
  const proxy = url.protocol === 'https:' ? env.https : env.http;
  if (proxy === null || env.noProxyAll) return null;
  const hostname = stripBrackets(url.hostname).toLowerCase();
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  for (const entry of env.noProxy) {
    if (entry.port !== 0 && entry.port !== port) continue;
    if (hostname === entry.hostname || hostname.endsWith(`.${entry.hostname}`)) return null;
  }
  return proxy;
}

/** The most bytes of a proxy's answer to CONNECT we read looking for its end. */
const MAX_CONNECT_HEAD = 16 * 1024;
const END_OF_HEAD = Buffer.from('\r\n\r\n');

/** The proxy's status line, cleaned of anything that does not belong in a message. */
function statusText(head: string): { code: number; text: string } | null {
  const m = /^HTTP\/1\.[01] (\d{3})(?: ([^\r\n]*))?\r\n/.exec(head);
  if (!m) return null;
  const reason = (m[2] ?? '').replace(/[^\x20-\x7e]/g, '').slice(0, 80);
  return { code: Number(m[1]), text: reason === '' ? (m[1] ?? '') : `${m[1]} ${reason}` };
}

/** What a proxy's refusal of CONNECT means. */
function refusal(proxy: ProxyTarget, authority: string, code: number, text: string): Verdict {
  // Some proxies (tinyproxy) answer wrong credentials with 401; to CONNECT only the proxy answers.
  if (code === 407 || code === 401) {
    const why = proxy.authorization
      ? 'the credentials in the proxy URL were refused'
      : 'it wants credentials: give them in the proxy URL, http://user:password@host:port';
    return {
      kind: 'proxy',
      message: `proxy ${proxy.label} refused the request: ${text} (${why})`,
      retryable: false,
    };
  }
  if (code >= 500) {
    // The proxy tried and could not reach the site: from here, that is the site not answering.
    return {
      kind: 'refused',
      message: `proxy ${proxy.label} could not reach ${authority}: it answered ${text}`,
      retryable: true,
    };
  }
  return {
    kind: 'proxy',
    message: `proxy ${proxy.label} refused to open a tunnel to ${authority}: it answered ${text}`,
    retryable: false,
  };
}

/** A 407 answer to a request sent to the proxy in absolute form (plain http through a proxy). */
export function proxyAuthVerdict(proxy: ProxyTarget): Verdict {
  return refusal(proxy, '', 407, '407 Proxy Authentication Required');
}

/**
 * Asks the proxy on `socket` for a tunnel to `authority` ("host:port"); `done` gets null once the proxy
 * answered 2xx (the socket then carries the TLS handshake with the site), or a ConnectFailure that
 * blames the proxy or the site as the answer says. Socket errors and time are the caller's (the
 * connector's error handler, the check's deadline and the connector's timer).
 */
export function openTunnel(
  socket: Socket,
  proxy: ProxyTarget,
  authority: string,
  done: (err: Error | null) => void,
): void {
  let head: Buffer = Buffer.alloc(0);
  let finished = false;
  const finish = (err: Error | null) => {
    if (finished) return;
    finished = true;
    socket.off('data', onData);
    socket.off('end', onEnd);
    socket.pause();
    done(err);
  };
  const blame = (what: string, retryable = true) =>
    new ConnectFailure({ kind: 'proxy', message: `proxy ${proxy.label} ${what}`, retryable });
  const onData = (chunk: Buffer) => {
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    const end = head.indexOf(END_OF_HEAD);
    if (end === -1) {
      if (head.length > MAX_CONNECT_HEAD)
        finish(blame(`sent over ${MAX_CONNECT_HEAD / 1024} KiB without ending its answer to CONNECT`, false));
      return;
    }
    const status = statusText(head.subarray(0, end + 2).toString('latin1'));
    if (status === null) return finish(blame('answered CONNECT with something that is not HTTP', false));
    if (status.code < 200 || status.code > 299) {
      return finish(new ConnectFailure(refusal(proxy, authority, status.code, status.text)));
    }
    // Nothing may follow a 200 before our TLS handshake: the site speaks only after we do.
    if (head.length > end + 4) return finish(blame('sent data after its 200 to CONNECT', false));
    finish(null);
  };
  const onEnd = () => finish(blame(`closed the connection while opening a tunnel to ${authority}`));
  socket.on('data', onData);
  socket.once('end', onEnd);
  const auth = proxy.authorization === null ? '' : `Proxy-Authorization: ${proxy.authorization}\r\n`;
  socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`);
}
