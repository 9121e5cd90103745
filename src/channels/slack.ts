/** A Slack channel's settings: the incoming webhook URL, which is the credential. */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import * as z from 'zod';
import { secretHttpUrl } from './fields.js';
import { defineChannel } from './spec.js';

export interface SlackConfig {
  type: 'slack';
  url: string;
}

const schema = () =>
  z
    .strictObject({
      type: z.literal('slack'),
      url: secretHttpUrl('${SLACK_WEBHOOK_URL}').describe(
        'The incoming webhook URL; keep it in an environment variable.',
      ),
    })
    .transform((c): SlackConfig => ({ type: 'slack', url: c.url }));

export const slackChannel = defineChannel(schema, '{"type": "slack", "url": "${SLACK_WEBHOOK_URL}"}');
