/**
 * `[HOST:]PORT`, as `watch --listen` and the config's `"server": { "listen" }` take it: where the status
 * server listens. HOST defaults to 127.0.0.1, so a bare port is never exposed beyond the machine.
 */

import { isIP } from 'node:net';

export const DEFAULT_LISTEN_HOST = '127.0.0.1';

export interface ListenAt {
  host: string;
  port: number;
}

/** The address, or why the text is not one (a sentence that fits after "--listen: "). */
export function parseListen(text: string): ListenAt | string {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d+)$|^(\d+)$/.exec(text.trim());
  const hint = 'expected [HOST:]PORT such as 8080, 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080';
  if (match === null) return `${hint}, found ${JSON.stringify(text)}`;
  const host = match[1] ?? (match[2] || DEFAULT_LISTEN_HOST);
  const port = Number(match[3] ?? match[4]);
  if (!Number.isInteger(port) || port > 65_535)
    return `the port must be 0 to 65535, found ${match[3] ?? match[4]}`;
  if (match[1] !== undefined && isIP(host) !== 6) return `${JSON.stringify(host)} is not an IPv6 address`;
  if (match[2] && isIP(host) === 0 && !/^[A-Za-z0-9.-]+$/.test(host)) {
    return `${JSON.stringify(host)} is not a host name or IP address`;
  }
  return { host, port };
}

/** Whether only this machine can reach the address (no token needed there; elsewhere watch warns). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
