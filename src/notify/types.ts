import type { z } from 'zod';
import type { Delivery, SendContext } from './http.js';
import type { Message } from './message.js';

export type { Delivery, SendContext } from './http.js';

/** Extra trust for TLS connections the notifiers open themselves (SMTP); tests inject their CA. */
export interface ChannelDeps {
  ca?: string | Buffer | (string | Buffer)[];
}

/** A configured channel, ready to send. */
export interface Channel {
  readonly name: string;
  readonly type: string;
  /**
   * Values from the channel's settings that must never be shown: passwords, webhook URLs (a Slack or
   * Discord URL is the credential), tokens, header values. Everything a send reports is masked with them.
   */
  readonly secrets: readonly string[];
  /**
   * Sends one message.
   * @throws NotifyError (transient or permanent, with the server's answer); the signal's reason when aborted
   */
  send(message: Message, ctx: SendContext): Promise<Delivery>;
}

/**
 * One channel type: validates its own section of `channels` (paths relative to the section) and turns a
 * valid section into a Channel. Adding a type is one file and one line in the registry (index.ts).
 */
export interface Notifier<C extends { type: string }> {
  readonly schema: z.ZodType<C, unknown>;
  /** The keys the section accepts, for "did you mean" on a typo. */
  readonly keys: readonly string[];
  /** A one-line example of the section, for error messages. */
  readonly example: string;
  create(name: string, config: C, deps?: ChannelDeps): Channel;
}
