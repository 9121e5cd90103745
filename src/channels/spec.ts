/**
 * What a channel type says about its own settings: the schema of its section of `channels`, the keys
 * that section accepts and an example of it. The transport that sends (notify/) is kept apart, so config
 * can validate channels without loading anything that sends.
 */

import type { z } from 'zod';

export interface ChannelSpec<C extends { type: string }> {
  /** Validates one section of `channels` (paths relative to it) and resolves it to the settings. */
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
>(schema: SectionSchema<S, C>, example: string): ChannelSpec<C> {
  return { schema, keys: Object.keys(schema.in.shape), example };
}

/** The settings a channel description validates into. */
export type ConfigOf<S> = S extends ChannelSpec<infer C> ? C : never;
