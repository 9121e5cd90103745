/**
 * An email channel's settings: the SMTP server as one URL (`smtp://` upgrades with STARTTLS when the
 * server offers it, `smtps://` is TLS from the first byte), the sender and the recipients. Addresses are
 * checked to be exactly one address each, with no line break, so nothing in them can add a header or a
 * recipient. Sending is notify/email.ts.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { hasControl } from '../util/control.js';
import { expected } from '../util/wording.js';
import { secretExpected, text } from './fields.js';
import { defineChannel } from './spec.js';

export interface SmtpServer {
  secure: boolean;
  host: string;
  port: number;
  user: string | null;
  password: string | null;
}

export interface EmailConfig {
  type: 'email';
  smtp: SmtpServer;
  from: string;
  to: string[];
  subjectPrefix: string;
}

const SMTP_EXAMPLE = 'smtp://user:${SMTP_PASSWORD}@mail.example.com:587';

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The SMTP URL's parts, or why it cannot be used. Split by hand rather than by a URL parser: a password
 * from ${SMTP_PASSWORD} may hold "/", "?", "#" or "@", which would end a URL's authority early and put
 * part of the password where messages show it. The credentials end at the last "@"; messages show them
 * as "***".
 */
export function parseSmtpUrl(text: string): SmtpServer | string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== 'smtp' && scheme !== 'smtps') {
    return `expected an smtp:// URL (STARTTLS when the server offers it) or smtps:// (TLS from the start) such as "${SMTP_EXAMPLE}", found ${scheme === undefined ? 'no scheme' : `"${scheme}://"`}`;
  }
  const rest = text.slice(scheme.length + 3);
  const at = rest.lastIndexOf('@');
  const userinfo = at === -1 ? null : rest.slice(0, at);
  const hostPort = (at === -1 ? rest : rest.slice(at + 1)).replace(/\/$/, '');
  const shown = JSON.stringify(`${scheme}://${userinfo === null ? '' : '***@'}${hostPort}`);
  if (hostPort === '') return `no host in ${shown}`;
  if (/[/?#]/.test(hostPort))
    return `${shown} has a path or query: write only scheme, credentials, host and port`;
  let url: URL;
  try {
    url = new URL(`http://${hostPort}`);
  } catch {
    return `${shown} does not end in a valid host and port, such as "mail.example.com:587"`;
  }
  const colon = userinfo?.indexOf(':') ?? -1;
  const user = userinfo === null ? '' : colon === -1 ? userinfo : userinfo.slice(0, colon);
  const password = userinfo === null || colon === -1 ? '' : userinfo.slice(colon + 1);
  return {
    secure: scheme === 'smtps',
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (scheme === 'smtps' ? 465 : 587) : Number(url.port),
    user: user === '' ? null : decode(user),
    password: password === '' ? null : decode(password),
  };
}

// One address, optionally with a display name: `ops@example.com` or `Ops Team <ops@example.com>`. No
// commas, semicolons or quotes: each entry must be exactly one recipient.
const ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/;
const NAMED = /^([^<>,;"\\]*)<([^<>]+)>$/;

export function checkAddress(value: string): string | null {
  if (hasControl(value)) return 'contains a line break or control character';
  const named = NAMED.exec(value.trim());
  const address = named ? (named[2] ?? '').trim() : value.trim();
  if (!ADDRESS.test(address)) {
    return `${JSON.stringify(value)} is not one email address: write "ops@example.com" or "Ops <ops@example.com>"`;
  }
  return null;
}

const schema = () => {
  const address = z
    .string({ error: expected('an email address such as "ops@example.com"') })
    .superRefine((v, ctx) => {
      const problem = checkAddress(v);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    });
  return z
    .strictObject({
      type: z.literal('email'),
      smtp: z
        .string({ error: secretExpected(`an SMTP URL such as "${SMTP_EXAMPLE}"`) })
        .transform((v, ctx) => {
          const parsed = parseSmtpUrl(v);
          if (typeof parsed === 'string') {
            ctx.issues.push({ code: 'custom', input: v, message: parsed });
            return z.NEVER;
          }
          return parsed;
        })
        .describe(
          'smtp://user:${SMTP_PASSWORD}@host:587 (STARTTLS when the server offers it) or smtps://user:...@host:465 (TLS from the start).',
        ),
      password: z
        .string({ error: secretExpected('a password string, such as "${SMTP_PASSWORD}"') })
        .optional()
        .describe("The SMTP password, instead of the URL's (no percent-encoding needed)."),
      from: address.describe('Sender address, such as "uptime-squirrel <monitor@example.com>".'),
      to: z
        .union(
          [address, z.array(address).min(1, { error: 'the list is empty: give at least one address' })],
          {
            error: expected('an address or a list of addresses, such as ["ops@example.com"]'),
          },
        )
        .describe('Recipients: one address or a list.'),
      subjectPrefix: text('a subject prefix', 60)
        .optional()
        .describe('Put before every subject; "[uptime-squirrel]" by default.'),
    })
    .transform(
      (c): EmailConfig => ({
        type: 'email',
        smtp: c.password === undefined ? c.smtp : { ...c.smtp, password: c.password },
        from: c.from,
        to: typeof c.to === 'string' ? [c.to] : c.to,
        subjectPrefix: c.subjectPrefix ?? '[uptime-squirrel]',
      }),
    );
};

export const emailChannel = defineChannel(
  schema,
  `{"type": "email", "smtp": "${SMTP_EXAMPLE}", "from": "monitor@example.com", "to": ["ops@example.com"]}`,
);
