/**
 * What a channel type says about its own settings: the schema of its section of `channels`, the keys
 * that section accepts and an example of it. The transport that sends (notify/) is kept apart, so config
 * can validate channels without loading anything that sends.
 *
 * Every type also takes the shared keys of common.ts (`events`, `quietHours`, `template`): defineChannel
 * adds them to the type's own schema, so a type's file declares only what is its own.
 */

import * as z from 'zod';
import { once } from '../util/once.js';
import { type ChannelCommon, COMMON_KEYS, commonOf, commonShape } from './common.js';

export interface ChannelSpec<C extends { type: string }> {
  /**
   * Validates one section of `channels` (paths relative to it) and resolves it to the settings. Built
   * on first use: a config names a few of the types, if any.
   */
  readonly schema: z.ZodType<C, unknown>;
  /** The keys the section accepts, read from the schema: for "did you mean" on a typo. */
  readonly keys: readonly string[];
  /** A one-line example of the section, shown when a key is unknown and nothing close is allowed. */
  readonly example: string;
}

/** A section's schema: a strict object of the keys people write, then the step to the resolved settings. */
type SectionSchema<S extends z.ZodObject<z.core.$ZodShape, z.core.$strict>, C> = z.ZodPipe<
  S,
  z.ZodTransform<C, z.output<S>>
>;

export function defineChannel<
  S extends z.ZodObject<z.core.$ZodShape, z.core.$strict>,
  C extends { type: string },
>(build: () => SectionSchema<S, C>, example: string): ChannelSpec<C & ChannelCommon> {
  const built = once(() => {
    const schema = build();
    const full = schema.in.extend(commonShape()).transform((section, ctx): C & ChannelCommon => {
      const { events, quietHours, template, ...own } = section as Record<string, unknown> &
        Parameters<typeof commonOf>[0];
      // The type's own step runs on its own keys only, as if the shared ones were not there.
      const result = schema.out.safeParse(own);
      if (!result.success) {
        for (const issue of result.error.issues) {
          ctx.issues.push({ code: 'custom', input: undefined, path: issue.path, message: issue.message });
        }
        return z.NEVER;
      }
      return { ...result.data, ...commonOf({ events, quietHours, template }) };
    });
    return { schema: full, keys: [...Object.keys(schema.in.shape), ...COMMON_KEYS] };
  });
  return {
    get schema() {
      return built().schema;
    },
    get keys() {
      return built().keys;
    },
    example,
  };
}

/** The settings a channel description validates into. */
export type ConfigOf<S> = S extends ChannelSpec<infer C> ? C : never;
