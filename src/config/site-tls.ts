/**
 * A site's own TLS settings (`tls`, per site or in `defaults`): a CA to trust beside the system's, the
 * name to send and verify, a client certificate (mTLS), the lowest version, or no verification at all.
 * Files are read by the probe when it connects; here they are found (relative to the config file) and
 * checked readable, so that a wrong path is a config error naming the site and the path.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import * as z from 'zod';
import type { ConfigProblem } from '../core/errors.js';
import type { SiteTls } from '../core/site.js';
import { once } from '../util/once.js';
import { expected } from '../util/wording.js';

const FILE_KEYS = ['ca', 'cert', 'key'] as const;

const path = (what: string) =>
  z.string({ error: expected(`the path of ${what}`) }).min(1, { error: expected(`the path of ${what}`) });

export const siteTls = once(
  () =>
    z
      .strictObject({
        ca: path('a PEM file of CA certificates')
          .optional()
          .describe(
            'A PEM file of CA certificates trusted for this site, on top of the system ones (a private CA). Relative to the config file.',
          ),
        servername: z
          .string({ error: expected('a host name') })
          .min(1, { error: expected('a host name') })
          .optional()
          .describe("The name sent by SNI and verified against the certificate, instead of the URL's host."),
        cert: path('a PEM client certificate')
          .optional()
          .describe('mTLS: a PEM file of the client certificate, with "key".'),
        key: path('a PEM private key')
          .optional()
          .describe('mTLS: a PEM file of the client key, with "cert".'),
        passphrase: z
          .string({ error: expected('a string') })
          .optional()
          .describe('The passphrase of "key": use ${VAR}, so that it is masked in all output.'),
        minVersion: z
          .enum(['TLSv1.2', 'TLSv1.3'], { error: expected('"TLSv1.2" or "TLSv1.3"') })
          .optional()
          .describe("The lowest TLS version accepted (default: Node's, TLSv1.2)."),
        insecure: z
          .boolean({ error: expected('true or false') })
          .optional()
          .describe(
            'true: accept any certificate (expired, self-signed, another name). Its details and expiry are still reported; results say "tlsVerified": false and validate warns.',
          ),
      })
      .superRefine((t, ctx) => {
        if ((t.cert === undefined) !== (t.key === undefined)) {
          const missing = t.cert === undefined ? 'cert' : 'key';
          ctx.addIssue({
            code: 'custom',
            path: [missing],
            message: `a client certificate needs both "cert" and "key": "${missing}" is missing`,
          });
        }
      })
      .describe("https: this site's own TLS settings.") satisfies z.ZodType<SiteTls>,
);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why the file at `file` cannot be read, or null. */
function unreadable(file: string): string | null {
  try {
    if (!statSync(file).isFile()) return 'it is not a file';
    accessSync(file, constants.R_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : (error as Error).message;
  }
}

/** The files of every `tls` in the raw config that cannot be read, each with its path in the config. */
export function siteTlsProblems(raw: unknown, baseDir: string): ConfigProblem[] {
  if (!isObject(raw)) return [];
  const places: [string, unknown][] = [
    ['defaults.tls', isObject(raw.defaults) ? raw.defaults.tls : undefined],
  ];
  if (Array.isArray(raw.sites)) {
    for (const [i, s] of raw.sites.entries())
      places.push([`sites[${i}].tls`, isObject(s) ? s.tls : undefined]);
  }
  return places.flatMap(([where, t]) => {
    if (!isObject(t)) return [];
    return FILE_KEYS.flatMap((key): ConfigProblem[] => {
      const value = t[key];
      if (typeof value !== 'string' || value === '') return [];
      const file = resolve(baseDir, value);
      const why = unreadable(file);
      return why === null
        ? []
        : [
            {
              path: `${where}.${key}`,
              message: `cannot read ${JSON.stringify(value)}${isAbsolute(value) ? '' : ` (${file})`}: ${why}`,
            },
          ];
    });
  });
}

/** The settings with their files as absolute paths (relative ones are the config file's). */
export function resolveTlsPaths(t: SiteTls | undefined, baseDir: string): SiteTls | undefined {
  if (t === undefined) return undefined;
  const out: SiteTls = { ...t };
  for (const key of FILE_KEYS) if (out[key] !== undefined) out[key] = resolve(baseDir, out[key] as string);
  return out;
}
