/**
 * The `channels` section of sites.json: each channel's `type` picks the channel description whose own
 * schema checks the rest of the section. Problems come back with paths inside the channel
 * (`channels["ops-mail"].smtp`) and an unknown type or key gets a "did you mean".
 */

import * as z from 'zod';
import { once } from '../util/once.js';
import { didYouMean } from '../util/suggest.js';
import { describeValue } from '../util/wording.js';
import { NESTED_KEYS } from './common.js';
import { CHANNEL_TYPES, CHANNELS, type ChannelConfig, isChannelType } from './index.js';

/** Channel names appear in logs, outbox rows and `notify` lists: plain words only. */
export const CHANNEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const channelName = z.string().regex(CHANNEL_NAME, {
  error: (issue) =>
    `${describeValue(issue.input)} is not a valid channel name: use 1 to 64 letters, digits, "-", "_" and ".", starting with a letter or digit`,
});

const TYPES = CHANNEL_TYPES.map((t) => `"${t}"`).join(', ');

/** "email, webhook, slack, discord or ntfy": the types as a sentence lists them. */
export function channelTypesInWords(): string {
  const all = [...CHANNEL_TYPES];
  const last = all.pop();
  return all.length === 0 ? String(last) : `${all.join(', ')} or ${last}`;
}

function typeProblem(type: unknown): string {
  if (type === undefined) return `missing: expected "type", one of ${TYPES}`;
  const guess = typeof type === 'string' ? didYouMean(type, CHANNEL_TYPES) : undefined;
  return `unknown channel type ${typeof type === 'string' ? JSON.stringify(type) : describeValue(type)}; ${guess === undefined ? `expected one of ${TYPES}` : `did you mean "${guess}"?`}`;
}

/**
 * Each type's own JSON Schema, for editors (sites.schema.json); validation goes through the transform
 * below for better messages. Built only when the schema file is written, not at every start.
 */
export function channelJsonSchemas(): Record<string, unknown>[] {
  return CHANNEL_TYPES.map((type) => {
    const { $schema: _, ...schema } = z.toJSONSchema(CHANNELS[type].schema, { io: 'input' });
    return schema;
  });
}

export const channelSection = once(() =>
  z
    .record(z.string(), z.unknown(), {
      error: (issue) => `expected an object of channel settings, found ${describeValue(issue.input)}`,
    })
    .transform((section, ctx): ChannelConfig => {
      const type = section.type;
      if (!isChannelType(type)) {
        ctx.issues.push({ code: 'custom', input: type, path: ['type'], message: typeProblem(type) });
        return z.NEVER;
      }
      const channel = CHANNELS[type];
      const result = channel.schema.safeParse(section);
      if (result.success) return result.data;
      for (const issue of result.error.issues) {
        if (issue.code === 'unrecognized_keys' && issue.path.length > 0) {
          // A key inside one of the shared objects (template, quietHours): its own keys, not the channel's.
          const nested = NESTED_KEYS[String(issue.path[0])];
          for (const key of issue.keys) {
            const guess = nested === undefined ? undefined : didYouMean(key, nested.keys);
            ctx.issues.push({
              code: 'custom',
              input: key,
              path: [...issue.path, key],
              message:
                nested === undefined
                  ? `unknown key "${key}"`
                  : `unknown key "${key}"; ${guess === undefined ? `${nested.what} takes ${nested.keys.join(', ')}` : `did you mean "${guess}"?`}`,
            });
          }
        } else if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) {
            const guess = didYouMean(key, channel.keys);
            // With nothing close to suggest, the whole list and an example show what the section looks like.
            const advice =
              guess === undefined
                ? `a ${type} channel takes ${channel.keys.join(', ')}, such as ${channel.example}`
                : `did you mean "${guess}"?`;
            ctx.issues.push({
              code: 'custom',
              input: key,
              path: [...issue.path, key],
              message: `unknown key "${key}"; ${advice}`,
            });
          }
        } else {
          ctx.issues.push({ code: 'custom', input: undefined, path: issue.path, message: issue.message });
        }
      }
      return z.NEVER;
    })
    .meta({ id: 'Channel', description: 'A notification channel: "type" and the settings of that type.' }),
);
