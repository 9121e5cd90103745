/**
 * The top-level sections of the monitor-offline rule: `connectivity` (the monitor's own probes of the
 * internet) and `offline` (when a sweep in which most sites fail counts as the monitor being offline
 * rather than every site being down). watch/ applies the rule; this file only reads the config.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { once } from '../util/once.js';
import { checkHttpUrl } from '../util/url.js';
import { expected } from '../util/wording.js';
import { NUMBERS_NOTE, wholeNumber } from './numbers.js';
import type { ConnectivityConfig, OfflineRuleConfig } from './types.js';

/** The rule when the config says nothing: 80% of at least 5 checked sites failing without a response. */
export const DEFAULT_OFFLINE_RULE: Readonly<OfflineRuleConfig> = Object.freeze({ ratio: 0.8, minSites: 5 });

// A handful is plenty to tell "my network is down" from "that one host is down"; more would only
// slow every sweep that looks offline.
const MAX_TARGETS = 10;

const target = once(() =>
  z.string({ error: expected('a URL string such as "https://1.1.1.1/"') }).superRefine((text, ctx) => {
    const problem = checkHttpUrl(text);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  }),
);

export const connectivity = once(() =>
  z
    .strictObject({
      targets: z
        .array(target(), { error: expected('a list of URLs, such as ["https://1.1.1.1/"]') })
        .min(1, { error: `the list is empty: give 1 to ${MAX_TARGETS} URLs, such as ["https://1.1.1.1/"]` })
        .max(MAX_TARGETS, { error: `too many targets: give at most ${MAX_TARGETS} URLs` })
        .describe(
          `1 to ${MAX_TARGETS} http(s) URLs the monitor itself should always reach (\${VAR} is replaced from the environment). When most sites fail without a response, the monitor counts as offline only if every target fails too.`,
        ),
    })
    .transform((c): ConnectivityConfig => ({ targets: c.targets }))
    .meta({ title: 'Connectivity' })
    .describe(
      "watch: the monitor's own connectivity check, as a second opinion before a sweep counts as offline.",
    ),
);

const RATIO_ALLOWED = 'a number above 0 and at most 1, such as 0.8';
const ratio = once(() =>
  z
    .number({ error: expected(RATIO_ALLOWED) })
    .gt(0, { error: expected(RATIO_ALLOWED) })
    .max(1, { error: expected(RATIO_ALLOWED) })
    .describe(
      `The share of checked sites that must fail without any HTTP response (above 0, at most 1; default ${DEFAULT_OFFLINE_RULE.ratio}).${NUMBERS_NOTE}`,
    ),
);

const OFFLINE_ALLOWED =
  'an object such as { "ratio": 0.8, "minSites": 5 }, or false to turn the rule off (true: the defaults)';

export const offline = once(() =>
  z
    .union(
      [
        // A boolean, not the literal false: an object then fails only the object branch, whose message
        // (ratio, minSites) problems.ts reports instead of the union's. true means the defaults.
        z.boolean(),
        z.strictObject({
          ratio: ratio().optional(),
          minSites: wholeNumber('a whole number of sites', 1, 1_000_000)
            .optional()
            .describe(
              `Fewer checked sites than this never count as the monitor being offline (default ${DEFAULT_OFFLINE_RULE.minSites}).${NUMBERS_NOTE}`,
            ),
        }),
      ],
      { error: expected(OFFLINE_ALLOWED) },
    )
    .transform((o): OfflineRuleConfig | null =>
      o === false
        ? null
        : o === true
          ? { ...DEFAULT_OFFLINE_RULE }
          : {
              ratio: o.ratio ?? DEFAULT_OFFLINE_RULE.ratio,
              minSites: o.minSites ?? DEFAULT_OFFLINE_RULE.minSites,
            },
    )
    .meta({ title: 'Offline rule' })
    .describe(
      'watch: when a sweep counts as the monitor being offline (its results kept but no site alerted): most sites failing without any HTTP response. false turns the rule off; true or absent: the defaults.',
    ),
);
