/**
 * The trust settings a connection is made under, one secure context each, built once and shared by
 * every connection (and every sweep) under them: the system's roots, plus the client's extra CA, plus
 * a site's own `tls` settings (its CA, client certificate, lowest version, or no verification).
 *
 * Why shared: a connection given no context builds its own, and one given a `ca` parses every root
 * certificate; either is a good part of the CPU of a handshake (0.5-1 ms), and over 100 ms under load.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { SiteTls } from '../core/site.js';

export type ExtraCa = string | Buffer | Array<string | Buffer>;

export interface Trust {
  /** Tells trust settings apart (TLS sessions are kept per trust settings, never shared across). */
  id: string;
  secureContext: tls.SecureContext;
  /** The site's own name to send and verify, instead of the URL's host. */
  servername: string | undefined;
  rejectUnauthorized: boolean;
}

const contexts = new Map<string, Trust>();

/** The key routes and contexts are kept under: settings that differ need connections of their own. */
export function siteTlsKey(settings: SiteTls | undefined): string {
  return settings === undefined ? '' : JSON.stringify(settings);
}

function extraCaId(extraCa: ExtraCa | undefined): string {
  if (extraCa === undefined) return '';
  const hash = createHash('sha256');
  for (const pem of [extraCa].flat()) hash.update(pem).update('\n');
  return hash.digest('hex');
}

/**
 * The trust of `settings` (undefined: the defaults), with `extraCa` (the client's own: tests, a private
 * CA) trusted beside the system's roots.
 * @throws when a file of the settings cannot be read (the config checked it at load; it may have gone since)
 */
export function trustFor(settings: SiteTls | undefined, extraCa?: ExtraCa): Trust {
  const id = `${extraCaId(extraCa)} ${siteTlsKey(settings)}`;
  const known = contexts.get(id);
  if (known) return known;
  const ca =
    extraCa === undefined && settings?.ca === undefined
      ? undefined
      : [...tls.rootCertificates, ...(extraCa === undefined ? [] : [extraCa].flat())];
  if (settings?.ca) ca?.push(readFileSync(settings.ca, 'utf8'));
  const made: Trust = {
    id,
    secureContext: tls.createSecureContext({
      ...(ca === undefined ? {} : { ca }),
      ...(settings?.cert ? { cert: readFileSync(settings.cert) } : {}),
      ...(settings?.key ? { key: readFileSync(settings.key) } : {}),
      ...(settings?.passphrase === undefined ? {} : { passphrase: settings.passphrase }),
      ...(settings?.minVersion === undefined ? {} : { minVersion: settings.minVersion }),
    }),
    servername: settings?.servername,
    rejectUnauthorized: settings?.insecure !== true,
  };
  contexts.set(id, made);
  return made;
}
