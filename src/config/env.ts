/**
 * ${VAR} substitution from the environment, in every string value of the config (keys are left alone:
 * they are the schema's vocabulary, not data).
 *
 * - `${NAME}` is replaced by the variable's value; an unset variable is a problem naming it and its path.
 * - `$${NAME}` is the escape for the literal text `${NAME}` (only the first `$` is dropped).
 * - Numbers cannot come from variables: "${TIMEOUT}" stays a string and the schema rejects it, because
 *   guessing types from text would turn a typo into a silently different value.
 */

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax here, not a mistaken template.

import type { ConfigProblem } from '../core/errors.js';
import { formatPath } from './path.js';

// Alternatives in order: the escape, a complete reference, then a `${` that never closes.
const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Substituted {
  value: unknown;
  problems: ConfigProblem[];
  /** Non-empty values substituted where secrets live, so every output can mask them. */
  secrets: string[];
}

/**
 * Header values (in `defaults` or a site), anything under `channels`, and the heartbeat URL (a dead man's
 * switch URL is itself the credential) hold tokens and passwords.
 */
function holdsSecrets(path: readonly PropertyKey[]): boolean {
  if (path[0] === 'channels' || path[0] === 'heartbeat') return true;
  // The status server's bearer token.
  if (path[0] === 'server' && path[1] === 'token') return true;
  // A proxy URL's password and a request body's token, in a site or in defaults.
  const option = path[0] === 'sites' ? path[2] : path[0] === 'defaults' ? path[1] : undefined;
  if (option === 'proxy' || option === 'body') return true;
  // A client key's passphrase.
  if (option === 'tls' && path.at(-1) === 'passphrase') return true;
  const inHeaders = path.at(-2) === 'headers';
  return (
    inHeaders && ((path[0] === 'defaults' && path.length === 3) || (path[0] === 'sites' && path.length === 4))
  );
}

/** Replaces references in every string of a parsed JSON value (the list form already wrapped as `{ sites }`). */
export function substituteEnv(root: unknown, env: NodeJS.ProcessEnv): Substituted {
  const problems: ConfigProblem[] = [];
  const secrets = new Set<string>();

  const substitute = (text: string, path: readonly PropertyKey[]): string =>
    text.replace(REFERENCE, (match, name: string | undefined) => {
      if (match === '$${') return '${';
      if (name === undefined) {
        problems.push({
          path: formatPath(path),
          message: 'unclosed "${": write ${NAME}, or $${ for a literal "${"',
        });
        return match;
      }
      if (!NAME.test(name)) {
        problems.push({
          path: formatPath(path),
          message: `"${match}" is not a variable reference: names are letters, digits and _, not starting with a digit (write $${match} for the literal text)`,
        });
        return match;
      }
      const value = env[name];
      if (value === undefined) {
        problems.push({
          path: formatPath(path),
          message: `environment variable ${name} is not set (used as ${match}); set it, or write $${match} for the literal text`,
        });
        return match;
      }
      if (value !== '' && holdsSecrets(path)) secrets.add(value);
      return value;
    });

  const walk = (value: unknown, path: readonly PropertyKey[]): unknown => {
    if (typeof value === 'string') return substitute(value, path);
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]),
      );
    }
    return value;
  };

  return { value: walk(root, []), problems, secrets: [...secrets] };
}
