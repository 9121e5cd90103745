/**
 * The hosts file (/etc/hosts), which the system's resolver reads before DNS and c-ares's queries do not:
 * read here, and read again when it changes (checked at most once a second, so a sweep of 10,000 names
 * stats it a few times, not 10,000). The same check tells when /etc/resolv.conf changed.
 */

import type { LookupAddress } from 'node:dns';
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';

export const SYSTEM_HOSTS_FILE = '/etc/hosts';
export const RESOLV_CONF = '/etc/resolv.conf';

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

/** Tells when a file has changed (or come, or gone), looking at most once a second. */
export class FileChanges {
  private mtimeMs: number | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(readonly path: string) {}

  /** True the first time, then each time the file's mtime differs from the last one seen. */
  changed(): boolean {
    const now = performance.now();
    if (now - this.checkedAt < RECHECK_MS) return false;
    this.checkedAt = now;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
    } catch {
      mtimeMs = -1;
    }
    if (mtimeMs === this.mtimeMs) return false;
    this.mtimeMs = mtimeMs;
    return true;
  }
}

export class HostsFile {
  private table = new Map<string, LookupAddress[]>();
  private readonly changes: FileChanges;

  constructor(path: string) {
    this.changes = new FileChanges(path);
  }

  /** The addresses the file gives `hostname`, or undefined when it does not name it. */
  find(hostname: string): LookupAddress[] | undefined {
    if (this.changes.changed()) {
      try {
        this.table = parseHosts(readFileSync(this.changes.path, 'utf8'));
      } catch {
        // No hosts file: every name goes to DNS, as with the system's resolver.
        this.table = new Map();
      }
    }
    return this.table.get(hostname.toLowerCase().replace(/\.$/, ''));
  }
}
