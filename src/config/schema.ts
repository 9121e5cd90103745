/**
 * The one description of sites.json: validation, the resolved option types and the JSON Schema for editors
 * all come from these zod schemas. Messages say what was found and what is allowed, because they are the
 * only documentation most people read.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import { z } from 'zod';
import type { ConfigProblem } from '../core/errors.js';
import type { CheckOptions, HeartbeatConfig, StatusRange, SummaryConfig } from '../core/site.js';
import { channelJsonSchemas, channelName, channelSection } from '../notify/config-schema.js';
import { secretHttpUrl } from '../notify/fields.js';
import { checkSchedule } from '../util/cron.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import { didYouMean } from '../util/suggest.js';
import { checkHttpUrl } from '../util/url.js';
import { describeValue, expected } from '../util/wording.js';

// ---------------------------------------------------------------------------------------------- messages

export { describeValue };

/** A JSON path as people read it: `sites[3].timeoutMs`, `defaults.headers["X-Api-Key"]`, `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(key))) out += out === '' ? String(key) : `.${String(key)}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(root)' : out;
}

// "${TIMEOUT}" arrives here as the string "5000": say why quotes matter instead of only "wrong type".
const quotedNumber = (input: unknown) =>
  typeof input === 'string' && /^\d+$/.test(input)
    ? ' (write numbers without quotes; ${VAR} works in strings only)'
    : '';

function wholeNumber(what: string, min: number, max: number) {
  const error = expected(`${what} from ${min} to ${max}`, quotedNumber);
  return z.int({ error }).min(min, { error }).max(max, { error });
}

// ----------------------------------------------------------------------------------------- site options

const NUMBERS_NOTE = ' Must be a JSON number: ${VAR} substitution applies to strings only.';

const method = z
  .enum(['HEAD', 'GET'], {
    error: (issue) => {
      const guess = typeof issue.input === 'string' ? didYouMean(issue.input, ['HEAD', 'GET']) : undefined;
      return expected('"HEAD" or "GET"')(issue) + (guess === undefined ? '' : `; did you mean "${guess}"?`);
    },
  })
  .describe('HTTP method. HEAD is cheaper; a HEAD refused with 405 or 501 is retried as GET.');

// No `i` flag: JSON Schema patterns cannot carry flags, and editors should accept "2XX" as we do.
const STATUS_TEXT = /^(?:[1-5]\d\d(?:-[1-5]\d\d)?|[1-5][xX]{2})$/;
const STATUS_ALLOWED =
  'a status code like 200, a range like "200-399" or a class like "2xx" (codes 100 to 599)';

/** "200" -> 200-200, "200-399", "2xx" -> 200-299; the text has already matched STATUS_TEXT. */
function statusRange(text: string): StatusRange {
  const [first = '', last = first] = text.split('-');
  if (/x/i.test(first)) return { min: Number(first[0]) * 100, max: Number(first[0]) * 100 + 99 };
  return { min: Number(first), max: Number(last) };
}

const statusEntry = z
  .union(
    [
      wholeNumber('a status code', 100, 599),
      z
        .string()
        .regex(STATUS_TEXT, { error: expected(STATUS_ALLOWED) })
        .transform((text, ctx) => {
          const range = statusRange(text);
          if (range.min > range.max) {
            ctx.issues.push({
              code: 'custom',
              input: text,
              message: `range "${text}" runs backwards: write the lower code first ("${range.max}-${range.min}")`,
            });
          }
          return range;
        }),
    ],
    { error: expected(STATUS_ALLOWED) },
  )
  .transform((entry): StatusRange => (typeof entry === 'number' ? { min: entry, max: entry } : entry));

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const headers = z
  .record(
    z.string().regex(HEADER_NAME, {
      error: (issue) =>
        `${describeValue(issue.input)} is not a valid header name: use letters, digits and !#$%&'*+-.^_\`|~`,
    }),
    z
      .string({ error: expected('a header value string') })
      // The value itself is not shown: header values are where tokens live.
      .refine((value) => !/[\r\n\0]/.test(value), {
        error: 'header value contains CR, LF or NUL, which would split the request: remove the line break',
      }),
    { error: expected('an object of header names to values, like {"Authorization": "Bearer ${TOKEN}"}') },
  )
  .describe(
    "Extra request headers. Merged with the defaults by name, case-insensitively; a site's value wins. Values from ${VAR} are redacted in all output.",
  );

// Reminders more often than once a minute would be a storm, not a reminder; a month is long enough.
const REPEAT_MIN_MS = 60_000;
const REPEAT_MAX_MS = 30 * 86_400_000;
const REPEAT_ALLOWED = `a duration from ${formatDuration(REPEAT_MIN_MS)} to 30d such as "30m" or "4h", a whole number of milliseconds, or null for no reminders`;

const repeatAfter = z
  .union([z.null(), z.number(), z.string()], { error: expected(REPEAT_ALLOWED) })
  .transform((value, ctx): number | null => {
    if (value === null) return null;
    const ms =
      typeof value === 'number' ? (Number.isSafeInteger(value) ? value : null) : parseDuration(value);
    if (ms === null || ms < REPEAT_MIN_MS || ms > REPEAT_MAX_MS) {
      ctx.issues.push({ code: 'custom', input: value, message: expected(REPEAT_ALLOWED)({ input: value }) });
      return null;
    }
    return ms;
  });

/**
 * Every per-site option, once. `defaults` and each site accept exactly these keys, the JSON Schema lists
 * them and normalize.ts merges them by spreading, so a new option is one line here (plus its type and
 * default in types.ts, which `satisfies` enforces).
 */
const optionFields = {
  method,
  timeoutMs: wholeNumber('a whole number of milliseconds', 1, 600_000).describe(
    `Time allowed for one attempt, in milliseconds (1 to 600000).${NUMBERS_NOTE}`,
  ),
  expectStatus: z
    .array(statusEntry, { error: expected(`a list of statuses such as [200] or ["200-399", 404]`) })
    .min(1, { error: `the list is empty: give at least one status, such as [200] or ["2xx"]` })
    .describe('Statuses that count as up: codes (200), ranges ("200-399") or classes ("2xx").'),
  headers,
  maxRedirects: wholeNumber('a whole number of redirects', 0, 20).describe(
    `Redirects followed before the site counts as down (0 to 20).${NUMBERS_NOTE}`,
  ),
  retries: wholeNumber('a whole number of retries', 0, 10).describe(
    `Extra attempts after a failed one before the site counts as down (0 to 10).${NUMBERS_NOTE}`,
  ),
  failureThreshold: wholeNumber('a whole number of sweeps', 1, 100).describe(
    `watch: consecutive failed sweeps before the site counts as down and a "down" event is raised (1 to 100, default 1: each check already retries).${NUMBERS_NOTE}`,
  ),
  successThreshold: wholeNumber('a whole number of sweeps', 1, 100).describe(
    `watch: consecutive successful sweeps before a down site counts as up and an "up" event is raised (1 to 100, default 1).${NUMBERS_NOTE}`,
  ),
  repeatAfter: repeatAfter.describe(
    'watch: while the site stays down, raise a "still-down" reminder this long after the last alert: "30m", "4h", "1d" or milliseconds (at least 1m); null or absent for none.',
  ),
  notify: z
    .array(channelName, { error: expected('a list of channel names, such as ["ops-mail"]') })
    .describe(
      'watch: the channels that alert for this site, by name (keys of "channels"); all channels when absent, none with [].',
    ),
} satisfies { [K in keyof CheckOptions]: z.ZodType<CheckOptions[K]> };

// ------------------------------------------------------------------------------------------ the file

const options = z.strictObject(optionFields).partial();

const url = z
  .string({ error: expected('a URL string such as "https://example.com/"') })
  .superRefine((text, ctx) => {
    const problem = checkHttpUrl(text);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('The http or https URL to check. ${VAR} is replaced from the environment.');

const siteObject = z
  .strictObject({
    url,
    name: z
      .string({ error: expected('a non-empty string') })
      .refine((text) => text.trim() !== '', { error: expected('a non-empty string') })
      .optional()
      .describe('Display name in reports; the URL when absent.'),
    ...options.shape,
  })
  .meta({ id: 'Site', title: 'Site', description: 'A site with options of its own.' });

const siteList = z
  .array(z.union([url, siteObject], { error: expected('a URL string or an object with "url"') }), {
    error: expected('a list of sites, like ["https://example.com/"]'),
  })
  .min(1, { error: 'the site list is empty: add at least one URL to check' })
  .describe('The sites to check: URL strings, or objects with "url" and options.');

// ------------------------------------------------------------------------------- heartbeat and summary

const heartbeat = z
  .strictObject({
    url: secretHttpUrl('https://hc-ping.com/${HEARTBEAT_ID}').describe(
      "Requested after every sweep (a dead man's switch such as healthchecks.io notices when the requests stop).",
    ),
    method: z
      .enum(['GET', 'HEAD', 'POST'], { error: expected('"GET", "HEAD" or "POST"') })
      .optional()
      .describe('"GET" by default.'),
    timeoutMs: wholeNumber('a whole number of milliseconds', 1, 60_000)
      .optional()
      .describe(`Time allowed for the request (default 10000).${NUMBERS_NOTE}`),
  })
  .transform(
    (h): HeartbeatConfig => ({ url: h.url, method: h.method ?? 'GET', timeoutMs: h.timeoutMs ?? 10_000 }),
  )
  .meta({ title: 'Heartbeat' })
  .describe(
    'watch: a URL requested after every sweep, so that an outside monitor notices when this one stops.',
  );

const summary = z
  .strictObject({
    schedule: z
      .string({ error: expected('a cron expression such as "0 8 * * *"') })
      .superRefine((text, ctx) => {
        const problem = checkSchedule(text);
        if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
      })
      .describe('When to send it: a cron expression, such as "0 8 * * *" for 08:00 every day.'),
    channels: z
      .array(channelName, { error: expected('a list of channel names, such as ["ops-mail"]') })
      .optional()
      .describe('The channels that get it; all channels when absent.'),
    timeZone: z
      .string({ error: expected('an IANA time zone such as "Europe/Paris"') })
      .refine(isTimeZone, { error: (issue) => expected('an IANA time zone such as "Europe/Paris"')(issue) })
      .optional()
      .describe("The schedule's time zone; the system's by default."),
  })
  .transform(
    (s): SummaryConfig => ({
      schedule: s.schedule.trim(),
      channels: s.channels ?? null,
      timeZone: s.timeZone ?? null,
    }),
  )
  .meta({ title: 'Summary' })
  .describe('watch: a message with the last 24 hours of uptime per site, on a schedule.');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const configObjectSchema = z.strictObject({
  $schema: z
    .string({ error: expected('a string') })
    .optional()
    .describe('Path or URL of this JSON Schema, for editor completion.'),
  defaults: options
    .optional()
    .describe("Options for every site; a site's own options override them.")
    .meta({ title: 'Defaults' }),
  sites: siteList,
  channels: z
    .record(channelName, channelSection, { error: expected('an object of named channels') })
    .optional()
    .describe(
      'Notification channels by name: email, webhook, slack, discord or ntfy, each with its settings.',
    ),
  heartbeat: heartbeat.optional(),
  summary: summary.optional(),
});

/** What sites.json may hold: a plain list of sites, or the object form with defaults and channels. */
export const configFileSchema = z.union([siteList, configObjectSchema]).meta({
  title: 'uptime-squirrel sites',
  description:
    'Sites for uptime-squirrel to check: a list of URLs, or an object with "sites", "defaults" and "channels".',
});

export type ParsedConfig = z.output<typeof configObjectSchema>;
export type ParsedSite = ParsedConfig['sites'][number];

/** The JSON Schema text committed as sites.schema.json; input types, since that is what people write. */
export function renderJsonSchema(): string {
  const schema = z.toJSONSchema(configFileSchema, {
    target: 'draft-2020-12',
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      // A channel is validated by its notifier's schema (notify/config-schema.ts); editors get them all.
      if (zodSchema === channelSection) jsonSchema.anyOf = channelJsonSchemas();
    },
  });
  return `${JSON.stringify(schema, null, 2)}\n`;
}

// ------------------------------------------------------------------------------------ issue -> problem

const KEYS = {
  root: Object.keys(configObjectSchema.shape),
  options: Object.keys(optionFields),
  site: Object.keys(siteObject.shape),
  heartbeat: Object.keys(heartbeat.in.shape),
  summary: Object.keys(summary.in.shape),
};

function allowedKeys(path: readonly PropertyKey[]): string[] {
  // The strict objects: the root, `defaults`, a site (whose path ends in its index), heartbeat and summary.
  // Channels report their own unknown keys (notify/config-schema.ts).
  if (path.length === 0) return KEYS.root;
  if (path.length === 1 && (path[0] === 'heartbeat' || path[0] === 'summary')) return KEYS[path[0]];
  return path.at(-1) === 'defaults' ? KEYS.options : KEYS.site;
}

function unknownKey(path: readonly PropertyKey[], key: string): ConfigProblem {
  const allowed = allowedKeys(path);
  const guess = didYouMean(key, allowed);
  const advice = guess === undefined ? `allowed keys are ${allowed.join(', ')}` : `did you mean "${guess}"?`;
  return { path: formatPath([...path, key]), message: `unknown key "${key}"; ${advice}` };
}

/**
 * The union of a URL string and a site object tells nothing useful ("invalid input") when a site object
 * has a wrong field; the branch that was not merely the wrong type is the one the user meant.
 */
function meantBranch(
  branches: readonly (readonly z.core.$ZodIssue[])[],
): readonly z.core.$ZodIssue[] | undefined {
  const plausible = branches.filter(
    (b) => !(b.length === 1 && b[0]?.code === 'invalid_type' && b[0].path.length === 0),
  );
  return plausible.length === 1 ? plausible[0] : undefined;
}

function toProblems(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => unknownKey(path, key));
    if (issue.code === 'invalid_union') {
      const branch = meantBranch(issue.errors);
      if (branch !== undefined) return toProblems(branch, path);
    }
    if (issue.code === 'invalid_key') {
      return [{ path: formatPath(path), message: issue.issues[0]?.message ?? issue.message }];
    }
    return [{ path: formatPath(path), message: issue.message }];
  });
}

/** The config object (the list form already wrapped as `{ sites }`), or every problem found in it. */
export function validateConfig(
  raw: unknown,
): { ok: true; config: ParsedConfig } | { ok: false; problems: ConfigProblem[] } {
  const result = configObjectSchema.safeParse(raw);
  // Checked on the raw input, so that a misspelt channel is reported together with every other problem.
  const references = unknownChannels(raw);
  if (result.success && references.length === 0) return { ok: true, config: result.data };
  return { ok: false, problems: [...(result.success ? [] : toProblems(result.error.issues)), ...references] };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every name in a `notify` list or `summary.channels` that is not a key of `channels`. */
function unknownChannels(raw: unknown): ConfigProblem[] {
  if (!isObject(raw)) return [];
  const names = isObject(raw.channels) ? Object.keys(raw.channels) : [];
  const lists: [PropertyKey[], unknown][] = [
    [['defaults', 'notify'], isObject(raw.defaults) ? raw.defaults.notify : undefined],
    [['summary', 'channels'], isObject(raw.summary) ? raw.summary.channels : undefined],
    ...(Array.isArray(raw.sites) ? raw.sites : []).map((site, i): [PropertyKey[], unknown] => [
      ['sites', i, 'notify'],
      isObject(site) ? site.notify : undefined,
    ]),
  ];
  return lists.flatMap(([path, list]) =>
    (Array.isArray(list) ? list : []).flatMap((name, j): ConfigProblem[] => {
      if (typeof name !== 'string' || names.includes(name)) return [];
      const guess = didYouMean(name, names);
      const advice =
        names.length === 0
          ? 'this config defines no "channels"'
          : guess === undefined
            ? `the channels are ${names.join(', ')}`
            : `did you mean "${guess}"?`;
      return [{ path: formatPath([...path, j]), message: `unknown channel "${name}"; ${advice}` }];
    }),
  );
}
