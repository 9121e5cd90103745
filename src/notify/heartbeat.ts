/**
 * The heartbeat: one request to a dead man's switch (healthchecks.io, Uptime Kuma push, cronitor) after
 * every sweep, so that someone hears when the monitor itself stops. Never awaited by the sweep, bounded
 * by its own timeout, at most one in flight; failures are logged with the host only, since the path of
 * such a URL is usually its secret.
 */

import { type Dispatcher, request } from 'undici';
import type { Logger } from '../core/logger.js';
import type { HeartbeatConfig } from '../core/site.js';
import { USER_AGENT } from '../core/version.js';
import { oneLine } from './text.js';

export class Heartbeat {
  private inFlight: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private failing = false;

  constructor(
    private readonly config: HeartbeatConfig,
    private readonly logger: Logger,
    private readonly dispatcher?: Dispatcher,
  ) {}

  /** Where requests go, as logs show it: scheme, host and port only. */
  get target(): string {
    return new URL(this.config.url).origin;
  }

  /** Starts a request unless one is still in flight; never throws. */
  ping(): void {
    if (this.abort.signal.aborted) return;
    if (this.inFlight !== null) {
      this.logger.warn(
        `heartbeat to ${this.target}: the previous request is still running; this one skipped`,
      );
      return;
    }
    this.inFlight = this.send().finally(() => {
      this.inFlight = null;
    });
  }

  /** Resolves when no request is in flight (for --once, and tests). */
  async idle(): Promise<void> {
    await this.inFlight;
  }

  stop(): void {
    this.abort.abort();
  }

  private async send(): Promise<void> {
    const { timeoutMs, method } = this.config;
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      const res = await request(this.config.url, {
        method,
        headers: { 'user-agent': USER_AGENT },
        dispatcher: this.dispatcher,
        signal: AbortSignal.any([this.abort.signal, deadline]),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      // Read (and drop) what little a ping endpoint answers, so that the connection can be reused.
      await res.body.dump({ limit: 4096 }).catch(() => {});
      if (res.statusCode >= 200 && res.statusCode < 400) {
        if (this.failing)
          this.logger.info(`heartbeat to ${this.target}: answered again (HTTP ${res.statusCode})`);
        this.failing = false;
        return;
      }
      this.fail(`answered HTTP ${res.statusCode}`, { httpStatus: res.statusCode });
    } catch (error) {
      if (this.abort.signal.aborted) return;
      const reason = deadline.aborted
        ? `no answer within ${timeoutMs} ms`
        : oneLine(String((error as Error).message ?? error), 200).replaceAll(this.config.url, this.target);
      this.fail(reason, { code: (error as { code?: unknown }).code ?? null });
    }
  }

  private fail(reason: string, fields: Record<string, unknown>): void {
    this.failing = true;
    this.logger.warn(`heartbeat to ${this.target} failed: ${reason}`, { msg: 'heartbeat failed', ...fields });
  }
}
