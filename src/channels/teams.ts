/**
 * A Microsoft Teams channel's settings: the URL of a Workflows webhook ("Post to a channel when a webhook
 * request is received"), which is the credential. Sending is notify/teams.ts.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { secretHttpUrl } from './fields.js';
import { defineChannel } from './spec.js';

export interface TeamsConfig {
  type: 'teams';
  url: string;
}

const schema = () =>
  z
    .strictObject({
      type: z.literal('teams'),
      url: secretHttpUrl('${TEAMS_WEBHOOK_URL}').describe(
        "The Workflows webhook's URL; keep it in an environment variable.",
      ),
    })
    .transform((c): TeamsConfig => ({ type: 'teams', url: c.url }));

export const teamsChannel = defineChannel(schema, '{"type": "teams", "url": "${TEAMS_WEBHOOK_URL}"}');
