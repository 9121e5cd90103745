/** What an http(s) URL to check is, and the normal form two URLs share when they check the same thing. */

import { redactUrl } from './redact.js';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

// `localhost:8080` and `example.com:80/x` parse as a scheme followed by a path; people mean a host and port.
const HOST_AND_PORT = /^[^/:?#]+:\d+([/?#]|$)/;

const MAX_SHOWN = 80;

function quote(text: string): string {
  return JSON.stringify(text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text);
}

/**
 * Why a URL cannot be checked, or null when it can. WHATWG `new URL()` alone would accept port 0, turn
 * `http:///x` into host "x" and give one "Invalid URL" for every fault, so scheme, host and port are
 * looked at first to say precisely what is wrong.
 */
export function checkHttpUrl(text: string): string | null {
  const scheme = HOST_AND_PORT.test(text) ? undefined : SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    const hint =
      /^[^\s/:?#]+\.[^\s/]/.test(text) || HOST_AND_PORT.test(text) ? `; did you mean "https://${text}"?` : '';
    return `expected an absolute URL starting with http:// or https://, found ${quote(text)}${hint}`;
  }
  if (scheme !== 'http' && scheme !== 'https') {
    return `unsupported scheme "${scheme}:": only http and https URLs are checked`;
  }
  const rest = text.slice(scheme.length + 1);
  if (!rest.startsWith('//'))
    return `expected "${scheme}://" followed by a host, found ${quote(redactUrl(text))}`;
  const authority = rest.slice(2).split(/[/?#]/, 1)[0] ?? '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  // An IPv6 literal carries colons of its own; its port, if any, follows the closing bracket.
  const portAt = hostPort.startsWith('[')
    ? hostPort.indexOf(':', hostPort.indexOf(']'))
    : hostPort.lastIndexOf(':');
  const host = portAt === -1 ? hostPort : hostPort.slice(0, portAt);
  const port = portAt === -1 ? '' : hostPort.slice(portAt + 1);
  if (host === '') return `no host after "${scheme}://" in ${quote(redactUrl(text))}`;
  if (port !== '' && !/^\d+$/.test(port)) return `port ${quote(port)} is not a number: allowed 1 to 65535`;
  if (port !== '' && (Number(port) < 1 || Number(port) > 65535)) {
    return `port ${port} is out of range: allowed 1 to 65535`;
  }
  try {
    new URL(text);
  } catch {
    return `${quote(host)} is not a valid host name in ${quote(redactUrl(text))}`;
  }
  return null;
}

/**
 * The form two URLs share when they check the same thing: WHATWG parsing lower-cases scheme and host,
 * drops the default port and turns an empty path into "/"; the fragment never reaches the server. The
 * query does, so it stays. Null for URLs that checkHttpUrl refuses.
 */
export function normalizeUrl(text: string): string | null {
  if (checkHttpUrl(text) !== null) return null;
  const url = new URL(text);
  url.hash = '';
  return url.href;
}
