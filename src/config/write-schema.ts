/** `npm run schema`: regenerates sites.schema.json from the zod schema, so the two never drift. */

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderJsonSchema } from './json-schema.js';

// Resolved from this module, not the working directory: dist/config/ (and src/config/) sit two levels
// below the repository root, where the committed file lives.
const target = new URL('../../sites.schema.json', import.meta.url);
writeFileSync(target, renderJsonSchema());
console.log(`wrote ${fileURLToPath(target)}`);
