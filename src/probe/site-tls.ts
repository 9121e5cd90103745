/**
 * A site's own TLS settings (`tls` in the config) as the connector uses them: one secure context per
 * settings (the system's roots plus the site's CA, its client certificate), made when first needed and
 * kept, since building one parses every root certificate.
 */

import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { SiteTls } from '../core/site.js';

export interface TlsConnectOptions {
  secureContext: tls.SecureContext;
  servername: string | undefined;
  rejectUnauthorized: boolean;
}

const contexts = new Map<string, TlsConnectOptions>();

/** The key routes and contexts are kept under: settings that differ need connections of their own. */
export function siteTlsKey(settings: SiteTls | undefined): string {
  return settings === undefined ? '' : JSON.stringify(settings);
}

/**
 * The connect options of `settings`; `extraCa` is the client's own (tests, a private CA).
 * @throws when a file cannot be read (the config checked it at load; it may have gone since)
 */
export function siteTlsOptions(
  settings: SiteTls,
  extraCa?: string | Buffer | Array<string | Buffer>,
): TlsConnectOptions {
  const key = siteTlsKey(settings);
  const known = contexts.get(key);
  if (known) return known;
  const ca = [...tls.rootCertificates, ...(extraCa === undefined ? [] : [extraCa].flat())];
  if (settings.ca) ca.push(readFileSync(settings.ca, 'utf8'));
  const made: TlsConnectOptions = {
    secureContext: tls.createSecureContext({
      ca,
      ...(settings.cert ? { cert: readFileSync(settings.cert) } : {}),
      ...(settings.key ? { key: readFileSync(settings.key) } : {}),
      ...(settings.passphrase === undefined ? {} : { passphrase: settings.passphrase }),
      ...(settings.minVersion === undefined ? {} : { minVersion: settings.minVersion }),
    }),
    servername: settings.servername,
    rejectUnauthorized: settings.insecure !== true,
  };
  contexts.set(key, made);
  return made;
}
