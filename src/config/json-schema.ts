/** The JSON Schema for editors (sites.schema.json), made from the same zod schemas that validate. */

import * as z from 'zod';
import { channelJsonSchemas, channelSection } from '../channels/section.js';
import { configFileSchema } from './schema.js';

/** The JSON Schema text committed as sites.schema.json; input types, since that is what people write. */
export function renderJsonSchema(): string {
  const schema = z.toJSONSchema(configFileSchema(), {
    target: 'draft-2020-12',
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      // A channel is validated by its type's own schema (channels/section.ts); editors get them all.
      if (zodSchema === channelSection()) jsonSchema.anyOf = channelJsonSchemas();
    },
  });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
