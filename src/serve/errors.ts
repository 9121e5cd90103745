/** The status server's faults. */

import { SquirrelError } from '../core/errors.js';

/** The address cannot be listened on (in use, not local, no permission): said with the address. */
export class ListenError extends SquirrelError {
  readonly address: string;

  constructor(address: string, reason: string, options?: { cause?: unknown }) {
    super('US_ERR_LISTEN', `Cannot serve the status page on ${address}: ${reason}`, options);
    this.address = address;
  }
}
