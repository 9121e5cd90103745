// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests, not a mistaken template.

import { afterEach, describe, expect, it } from 'vitest';
import { eventsMessage } from '../../src/notify/compose.js';
import { refusedUrl } from '../helpers/ports.js';
import { startWebhookReceiver, type TestWebhookReceiver } from '../helpers/webhook-receiver.js';
import { down, rejection, sweepSummary, T0, up } from './fixtures.js';
import { channelOf as channelFrom } from './provider-fixtures.js';

const receivers: TestWebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver() {
  const r = await startWebhookReceiver();
  receivers.push(r);
  return r;
}

/** The send of a channel made from one section of settings (provider-fixtures.ts). */
const channelOf = (settings: Record<string, unknown>, env: Record<string, string> = {}) =>
  channelFrom(settings, env).send;

const message = eventsMessage([down(1), up(2, T0 - 60_000, T0)], [sweepSummary(7)], { id: 'events-c-1-1' });

describe('webhook', () => {
  it('posts one JSON document with the grouped entries, the raw events and the sweep', async () => {
    const r = await receiver();
    const send = channelOf(
      { type: 'webhook', url: r.url, headers: { Authorization: 'Bearer ${TOKEN}' } },
      { TOKEN: 'tok-123' },
    );
    const delivery = await send(message);
    expect(delivery.answer).toBe('HTTP 200 ok');
    const [request] = r.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers.authorization).toBe('Bearer tok-123');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['idempotency-key']).toBe('events-c-1-1');
    expect(request?.json).toMatchObject({
      source: 'uptime-squirrel',
      id: 'events-c-1-1',
      kind: 'events',
      title: '1 down, 1 recovered',
      counts: { down: 1, recovered: 1, stillDown: 0, monitorOffline: 0, monitorOnline: 0 },
      entries: [
        {
          kind: 'down',
          site: { name: 'Site 1', url: 'https://site-1.example.com/health' },
          cause: expect.any(String),
        },
        {
          kind: 'recovered',
          durationMs: 60_000,
          since: '2024-05-01T09:59:00.000Z',
          until: '2024-05-01T10:00:00.000Z',
        },
      ],
      events: [{ type: 'down' }, { type: 'up' }],
      sweeps: [{ id: 7 }],
    });
  });

  it('treats 500 and 429 as transient (with Retry-After), 404 as permanent, with the status and text', async () => {
    const r = await receiver();
    r.script(
      { status: 500, body: 'database is down' },
      { status: 429, headers: { 'retry-after': '7' } },
      404,
    );
    const send = channelOf({ type: 'webhook', url: r.url });
    const e500 = await rejection(send(message));
    expect(e500).toMatchObject({
      code: 'US_ERR_NOTIFY_HTTP',
      transient: true,
      answer: { httpStatus: 500, text: 'database is down' },
    });
    const e429 = await rejection(send(message));
    expect(e429).toMatchObject({ transient: true, retryAfterMs: 7000, answer: { httpStatus: 429 } });
    const e404 = await rejection(send(message));
    expect(e404).toMatchObject({ transient: false, answer: { httpStatus: 404 } });
    expect(e404.message).toBe('the webhook answered HTTP 404: error 404');
  });

  it('gives up on a receiver that never answers within the timeout, as transient', async () => {
    const r = await receiver();
    r.setDefault('hang');
    const send = channelOf({ type: 'webhook', url: r.url });
    const started = Date.now();
    const error = await rejection(send(message, 300));
    expect(error).toMatchObject({ code: 'US_ERR_NOTIFY_TIMEOUT', transient: true });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports a refused connection as transient, and never shows the URL', async () => {
    const url = `${await refusedUrl()}secret-path-123`;
    const error = await rejection(channelOf({ type: 'webhook', url })(message));
    expect(error).toMatchObject({ code: 'US_ERR_NOTIFY_NETWORK', transient: true });
    expect(error.message).not.toContain('secret-path-123');
  });
});

describe('chat and push formats', () => {
  it('slack: mrkdwn text', async () => {
    const r = await receiver();
    await channelOf({ type: 'slack', url: '${SLACK_URL}' }, { SLACK_URL: r.url })(message);
    const body = r.requests[0]?.json as { text: string };
    expect(body.text.split('\n')[0]).toBe('*uptime-squirrel: 1 down, 1 recovered*');
    expect(body.text).toContain('- Site 1 (https://site-1.example.com/health): HTTP 500');
  });

  it('discord: content with mentions disabled and an optional username', async () => {
    const r = await receiver();
    r.setDefault(204);
    const delivery = await channelOf({ type: 'discord', url: r.url, username: 'Squirrel' })(message);
    expect(delivery.answer).toBe('HTTP 204');
    expect(r.requests[0]?.json).toMatchObject({
      content: expect.stringContaining('**uptime\\-squirrel: 1 down, 1 recovered**'),
      username: 'Squirrel',
      allowed_mentions: { parse: [] },
    });
  });

  it('ntfy: JSON published to the server root, with the topic, title, priority and token', async () => {
    const r = await receiver();
    const base = r.url.replace(/\/hook$/, '');
    await channelOf(
      { type: 'ntfy', url: `${base}/alerts`, token: '${NTFY_TOKEN}' },
      { NTFY_TOKEN: 'tk_abc' },
    )(message);
    const [request] = r.requests;
    expect(request?.path).toBe('/');
    expect(request?.headers.authorization).toBe('Bearer tk_abc');
    expect(request?.json).toMatchObject({
      topic: 'alerts',
      title: 'uptime-squirrel: 1 down, 1 recovered',
      priority: 4,
      tags: ['rotating_light'],
      message: expect.stringContaining('- Site 1: HTTP 500'),
    });
  });
});
