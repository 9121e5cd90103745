/** What one check needs from the sweep that runs it. */

import type { HttpClient } from './http.js';

export interface ProbeContext {
  client: HttpClient;
  userAgent: string;
  /** Aborts the sweep (Ctrl-C): an aborted check rejects with code US_ERR_ABORTED; it is not an outage. */
  signal?: AbortSignal;
  /** Pause before a retry. */
  retryDelayMs?: number;
  /** The most body bytes read from a GET before the verdict stands. */
  bodyCapBytes?: number;
  /** Masks secrets (values from ${VAR}) in messages. */
  redact?: (text: string) => string;
}
