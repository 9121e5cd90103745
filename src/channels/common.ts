/**
 * The keys every channel takes beside its own: which events it receives (`events`), when it keeps quiet
 * (`quietHours`) and how its messages read (`template`). spec.ts adds them to each type's schema, so they
 * are validated, suggested and documented the same way for every type.
 */

import * as z from 'zod';
import { EVENT_TYPES, type EventType } from '../core/events.js';
import { once } from '../util/once.js';
import { didYouMean } from '../util/suggest.js';
import { describeValue, expected } from '../util/wording.js';
import { templateProblems } from './template.js';

export interface QuietHoursConfig {
  /** "22:00": local time in `timezone` when holding back starts. */
  from: string;
  /** "07:00": when it ends, and what was held back goes out as one message. */
  to: string;
  /** The same two times as minutes after local midnight. */
  fromMinutes: number;
  toMinutes: number;
  /** An IANA time zone ("Europe/Berlin"); "UTC" by default. */
  timezone: string;
  /** Event types sent at once even during quiet hours. */
  except: EventType[];
}

export interface TemplateConfig {
  /** Mustache source of the title (subject, push title, incident summary); null: the built-in one. */
  title: string | null;
  /** Mustache source of the body; null: the built-in one. */
  body: string | null;
}

/**
 * What every channel's settings carry beside the type's own; each only when the section sets it, so that
 * settings without them read exactly as before.
 */
export interface ChannelCommon {
  /** The event types this channel receives; absent: all of them. */
  events?: EventType[];
  quietHours?: QuietHoursConfig;
  template?: TemplateConfig;
}

export const COMMON_KEYS = ['events', 'quietHours', 'template'] as const;

/** The keys of the shared objects, for the message about an unknown key inside one. */
export const NESTED_KEYS: Record<string, { what: string; keys: readonly string[] }> = {
  quietHours: { what: 'quietHours', keys: ['from', 'to', 'timezone', 'except'] },
  template: { what: 'a template', keys: ['title', 'body'] },
};

const TYPES_IN_WORDS = EVENT_TYPES.map((t) => `"${t}"`).join(', ');

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutes(time: string): number {
  const [hours = 0, mins = 0] = time.split(':').map(Number);
  return hours * 60 + mins;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function templateSource(what: string) {
  return z
    .string({ error: expected(`a Mustache template string for the ${what}`) })
    .superRefine((source, ctx) => {
      if (source.trim() === '') ctx.addIssue({ code: 'custom', message: `the ${what} template is empty` });
      for (const problem of templateProblems(source))
        ctx.addIssue({ code: 'custom', message: `template ${problem}` });
    });
}

/** The shared keys, as each channel's schema gets them (all optional); built with the first channel's. */
export const commonShape = once(() => {
  const eventType = z
    .string({ error: expected(`an event type (${TYPES_IN_WORDS})`) })
    .transform((type, ctx) => {
      if ((EVENT_TYPES as readonly string[]).includes(type)) return type as EventType;
      const guess = didYouMean(type, EVENT_TYPES);
      ctx.issues.push({
        code: 'custom',
        input: type,
        message: `unknown event type ${JSON.stringify(type)}; ${guess === undefined ? `expected one of ${TYPES_IN_WORDS}` : `did you mean "${guess}"?`}`,
      });
      return z.NEVER;
    });

  const eventList = z
    .array(eventType, { error: expected(`a list of event types, such as ["down", "up"]`) })
    .superRefine((types, ctx) => {
      const seen = new Set<string>();
      types.forEach((type, i) => {
        if (seen.has(type)) ctx.addIssue({ code: 'custom', path: [i], message: `"${type}" is listed twice` });
        seen.add(type);
      });
    });

  const clock = z.string({ error: expected('a local time "HH:MM", such as "22:00"') }).regex(TIME, {
    error: (issue) =>
      `expected a local time "HH:MM" from "00:00" to "23:59", found ${describeValue(issue.input)}`,
  });

  const quietHours = z
    .strictObject(
      {
        from: clock.describe('Local time when quiet hours begin, "HH:MM".'),
        to: clock.describe(
          'Local time when they end and what was held back is sent as one message, "HH:MM".',
        ),
        timezone: z
          .string({ error: expected('an IANA time zone such as "Europe/Berlin"') })
          .refine(isTimeZone, {
            error: (issue) =>
              `unknown time zone ${describeValue(issue.input)}: expected an IANA name such as "Europe/Berlin" or "UTC"`,
          })
          .optional()
          .describe('IANA time zone of "from" and "to"; UTC by default.'),
        except: eventList
          .optional()
          .describe('Event types sent at once even during quiet hours, such as ["down"].'),
      },
      { error: expected('an object like {"from": "22:00", "to": "07:00", "timezone": "Europe/Berlin"}') },
    )
    .superRefine((q, ctx) => {
      if (q.from === q.to) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `"to" is the same time as "from": quiet hours would never end`,
        });
      }
    })
    .transform(
      (q): QuietHoursConfig => ({
        from: q.from,
        to: q.to,
        fromMinutes: minutes(q.from),
        toMinutes: minutes(q.to),
        timezone: q.timezone ?? 'UTC',
        except: q.except ?? [],
      }),
    );

  const template = z
    .strictObject(
      {
        title: templateSource('title')
          .optional()
          .describe('Mustache template of the title; the built-in title by default.'),
        body: templateSource('body')
          .optional()
          .describe('Mustache template of the body; the built-in body by default.'),
      },
      { error: expected('an object like {"title": "{{title}}", "body": "{{text}}"}') },
    )
    .transform((t): TemplateConfig => ({ title: t.title ?? null, body: t.body ?? null }));

  return {
    events: eventList
      .optional()
      .describe(`The event types this channel receives (${TYPES_IN_WORDS}); all by default.`),
    quietHours: quietHours
      .optional()
      .describe(
        'Hold messages back between two local times; what was held is sent as one message when they end.',
      ),
    template: template
      .optional()
      .describe('Mustache templates of the title and body; see the README for the variables.'),
  };
});

/** The shared settings out of a validated section. */
export function commonOf(section: {
  events?: EventType[] | undefined;
  quietHours?: QuietHoursConfig | undefined;
  template?: TemplateConfig | undefined;
}): ChannelCommon {
  return {
    ...(section.events === undefined ? {} : { events: section.events }),
    ...(section.quietHours === undefined ? {} : { quietHours: section.quietHours }),
    ...(section.template === undefined ? {} : { template: section.template }),
  };
}
