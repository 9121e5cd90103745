import type { Delivery, SendContext } from './http.js';
import type { Message } from './message.js';

export type { Delivery, SendContext } from './http.js';

/** Extra trust for TLS connections the notifiers open themselves (SMTP); tests inject their CA. */
export interface ChannelDeps {
  ca?: string | Buffer | (string | Buffer)[];
}

/**
 * How a channel takes events: `sweep`, one grouped message per sweep (everything pending at once); or
 * `site`, one event per site, each deduplicated by the tool's own key (incident tools: PagerDuty, Opsgenie).
 */
export type Grouping = 'sweep' | 'site';

/** A configured channel, ready to send. */
export interface Channel {
  readonly name: string;
  readonly type: string;
  /** `sweep` when absent. */
  readonly grouping?: Grouping;
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
 * One channel type's transport: turns valid settings (checked by the type's description in channels/)
 * into a Channel. Adding a type is one file here and one line in the registry (index.ts).
 */
export interface Notifier<C extends { type: string }> {
  create(name: string, config: C, deps?: ChannelDeps): Channel;
}
