/**
 * The hosts file (/etc/hosts), which the system's resolver reads before DNS and c-ares's queries do not:
 * read here, and read again when it changes (checked at most once a second, so a sweep of 10,000 names
 * stats it a few times, not 10,000).
 */

import type { LookupAddress } from 'node:dns';
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';

export const SYSTEM_HOSTS_FILE = '/etc/hosts';

const RECHECK_MS = 1000;

/** Names (lower-case) and their addresses, in the file's order, from the text of a hosts file. */
export function parseHosts(text: string): Map<string, LookupAddress[]> {
  const table = new Map<string, LookupAddress[]>();
  for (const raw of text.split('\n')) {
    const [address, ...names] = raw.replace(/#.*/, '').trim().split(/\s+/);
    // A zone index (fe80::1%eth0) is kept: connect() takes it.
    const family = address === undefined ? 0 : isIP(address.replace(/%.*/, ''));
    if (family === 0 || address === undefined) continue;
    for (const name of names) {
      const key = name.toLowerCase();
      const known = table.get(key) ?? [];
      if (!known.some((a) => a.address === address)) known.push({ address, family });
      table.set(key, known);
    }
  }
  return table;
}

export class HostsFile {
  private table = new Map<string, LookupAddress[]>();
  private mtimeMs = -1;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly path: string) {}

  /** The addresses the file gives `hostname`, or undefined when it does not name it. */
  find(hostname: string): LookupAddress[] | undefined {
    this.refresh();
    return this.table.get(hostname.toLowerCase().replace(/\.$/, ''));
  }

  private refresh(): void {
    const now = performance.now();
    if (now - this.checkedAt < RECHECK_MS) return;
    this.checkedAt = now;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
    } catch {
      // No hosts file: every name goes to DNS, as with the system's resolver.
      this.table = new Map();
      this.mtimeMs = -1;
      return;
    }
    if (mtimeMs === this.mtimeMs) return;
    this.mtimeMs = mtimeMs;
    try {
      this.table = parseHosts(readFileSync(this.path, 'utf8'));
    } catch {
      this.table = new Map();
    }
  }
}
