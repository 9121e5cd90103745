// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config syntax in these tests, not a mistaken template.

import { describe, expect, it } from 'vitest';
import { eventsMessage } from '../../src/notify/compose.js';
import { renderSms } from '../../src/notify/render/sms.js';
import { basicAuth, jsonBody } from '../helpers/provider-receiver.js';
import { GOTIFY, PUSHOVER, startGotify, startPushover } from '../helpers/push-receivers.js';
import { startTwilio, startVonage, TWILIO, VONAGE } from '../helpers/sms-receivers.js';
import { down, rejection, site, sweepSummary, T0, up } from './fixtures.js';
import { channelOf } from './provider-fixtures.js';
import { notificationTestbed } from './testbed.js';

const bed = notificationTestbed();

const message = eventsMessage([down(1), up(2, T0 - 60_000, T0)], [sweepSummary(7)], { id: 'events-c-1-1' });
const recovered = eventsMessage([up(2, T0 - 60_000, T0)], [], { id: 'events-c-3-3' });

const twilio = (url: string) => ({
  type: 'twilio',
  accountSid: '${SID}',
  authToken: '${TOKEN}',
  from: '+15557654321',
  to: '+15551234567',
  baseUrl: url,
});
const TWILIO_ENV = { SID: TWILIO.accountSid, TOKEN: TWILIO.authToken };

describe('twilio', () => {
  it('posts the text form-encoded with basic auth to the account Messages resource', async () => {
    const r = await bed.closing(startTwilio());
    const delivery = await channelOf(twilio(r.url), TWILIO_ENV).send(message);
    expect(delivery.answer).toBe(`HTTP 201 SM${'1'.padStart(32, '0')} queued`);
    const [request] = r.accepted();
    expect(request?.path).toBe(`/2010-04-01/Accounts/${TWILIO.accountSid}/Messages.json`);
    expect(basicAuth(request as never)).toEqual({ user: TWILIO.accountSid, password: TWILIO.authToken });
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      To: '+15551234567',
      From: '+15557654321',
      Body: 'uptime-squirrel: 1 down: Site 1. 1 recovered: Site 2',
    });
  });

  it('sends from a Messaging Service when `from` is its SID', async () => {
    const r = await bed.closing(startTwilio());
    const service = `MG${'a'.repeat(32)}`;
    await channelOf({ ...twilio(r.url), from: service }, TWILIO_ENV).send(message);
    expect(r.accepted()[0]?.form.get('MessagingServiceSid')).toBe(service);
    expect(r.accepted()[0]?.form.has('From')).toBe(false);
  });

  it("names Twilio's error code: 21211 and a wrong token are permanent, 429 and 503 are tried again", async () => {
    const r = await bed.closing(startTwilio());
    r.fail('invalid-number', 'rate-limit', 'unavailable');
    const { send } = channelOf(twilio(r.url), TWILIO_ENV);
    const invalid = await rejection(send(message));
    expect(invalid).toMatchObject({
      code: 'US_ERR_NOTIFY_HTTP',
      transient: false,
      answer: { httpStatus: 400 },
    });
    expect(invalid.message).toBe(
      "the Twilio API answered HTTP 400: 21211 The 'To' number +15551234567 is not a valid phone number.",
    );
    expect(await rejection(send(message))).toMatchObject({ transient: true, answer: { httpStatus: 429 } });
    expect(await rejection(send(message))).toMatchObject({ transient: true, answer: { httpStatus: 503 } });
    const wrong = await rejection(
      channelOf(twilio(r.url), { ...TWILIO_ENV, TOKEN: 'a-wrong-token-value' }).send(message),
    );
    expect(wrong).toMatchObject({
      transient: false,
      message: 'the Twilio API answered HTTP 401: 20003 Authenticate',
    });
    expect(r.accepted()).toHaveLength(0);
  });

  it('refuses settings that cannot work, at start, without showing the secrets', () => {
    expect(() => channelOf({ ...twilio('https://api.twilio.com'), to: '555-1234' }, TWILIO_ENV)).toThrow(
      /channels\.c\.to: expected the recipient in E\.164 form/,
    );
    let error: unknown;
    try {
      channelOf(twilio('https://api.twilio.com'), { ...TWILIO_ENV, SID: 'not-an-account-sid' });
    } catch (e) {
      error = e;
    }
    expect(String((error as Error).message)).toMatch(
      /accountSid: expected an Account SID: "AC" and 32 hexadecimal digits/,
    );
    expect(JSON.stringify(error)).not.toContain('not-an-account-sid');
  });
});

const vonage = (url: string, to = '+447700900000') => ({
  type: 'vonage',
  ...VONAGE,
  from: 'Squirrel',
  to,
  baseUrl: url,
});

describe('vonage', () => {
  it('posts the text with the key and secret, the number without "+", GSM text as `text`', async () => {
    const r = await bed.closing(startVonage());
    const delivery = await channelOf(vonage(r.url)).send(message);
    expect(delivery.answer).toBe('HTTP 200 message-id 0A00000000000001');
    const form = Object.fromEntries(r.accepted()[0]?.form ?? []);
    expect(form).toMatchObject({
      api_key: VONAGE.apiKey,
      api_secret: VONAGE.apiSecret,
      from: 'Squirrel',
      to: '447700900000',
      text: renderSms(message),
      type: 'text',
      'client-ref': 'events-c-1-1',
    });
  });

  it('sends a text outside the GSM alphabet as `unicode`', async () => {
    const r = await bed.closing(startVonage());
    await channelOf(vonage(r.url)).send(
      eventsMessage([down(1, T0, { site: site(1, '東京 API') })], [], { id: 'x' }),
    );
    expect(r.accepted()[0]?.form.get('type')).toBe('unicode');
  });

  it('reads the status of each part: an error inside HTTP 200 is an error; throttled waits', async () => {
    const r = await bed.closing(startVonage());
    r.fail('bad-credentials', 'throttled', 'no-credit', 'partial');
    const { send } = channelOf(vonage(r.url));
    expect(await rejection(send(message))).toMatchObject({
      transient: false,
      answer: { httpStatus: 200 },
      message: 'the Vonage SMS API answered HTTP 200: status 4 (Bad Credentials)',
    });
    expect(await rejection(send(message))).toMatchObject({ transient: true });
    expect(await rejection(send(message))).toMatchObject({
      transient: false,
      message: 'the Vonage SMS API answered HTTP 200: status 9 (Quota Exceeded - rejected)',
    });
    // One part taken and one refused: sending again would send the taken part twice.
    const partial = await rejection(send(message));
    expect(partial.transient).toBe(false);
    expect(partial.message).toContain(
      'for 1 of 2 parts; the others were sent, so the text is not sent again',
    );
    expect(partial.message).not.toContain(VONAGE.apiSecret);
  });
});

describe('pushover', () => {
  it('posts token, user, title, text and priority 1 while something is down', async () => {
    const r = await bed.closing(startPushover());
    const { send } = channelOf(
      { type: 'pushover', token: '${T}', user: '${U}', device: 'phone', baseUrl: r.url },
      { T: PUSHOVER.token, U: PUSHOVER.user },
    );
    const delivery = await send(message);
    expect(delivery.answer).toBe('HTTP 200 request 647d2300-702c-4b38-8b2f-d56326ae460b');
    await send(recovered);
    const [alarm, calm] = r.accepted().map((req) => Object.fromEntries(req.form));
    expect(alarm).toMatchObject({
      token: PUSHOVER.token,
      user: PUSHOVER.user,
      device: 'phone',
      title: 'uptime-squirrel: 1 down, 1 recovered',
      priority: '1',
      message: expect.stringContaining('- Site 1: HTTP 500'),
    });
    expect(calm?.priority).toBe('0');
  });

  it('keeps within 1,024 characters; 429 (the monthly limit) and a wrong user are permanent, 5xx waits', async () => {
    const r = await bed.closing(startPushover());
    const { send } = channelOf({ type: 'pushover', ...PUSHOVER, priority: -1, baseUrl: r.url });
    await send(
      eventsMessage(
        Array.from({ length: 300 }, (_, i) => down(i + 1)),
        [],
        { id: 'm' },
      ),
    );
    expect([...(r.accepted()[0]?.form.get('message') ?? '')].length).toBeLessThanOrEqual(1024);
    expect(r.accepted()[0]?.form.get('priority')).toBe('-1');
    r.fail('over-limit', 'server-error');
    const limit = await rejection(send(message));
    expect(limit.transient).toBe(false);
    expect(limit.message).toContain('over its monthly limit; not retried');
    expect(await rejection(send(message))).toMatchObject({ transient: true, answer: { httpStatus: 500 } });
    const user = await rejection(
      channelOf({ type: 'pushover', ...PUSHOVER, user: 'u'.repeat(30), baseUrl: r.url }).send(message),
    );
    expect(user.message).toBe(
      'the Pushover API answered HTTP 400: user identifier is not a valid user, group, or subscribed user key',
    );
  });
});

describe('gotify', () => {
  it('posts title, plain text and priority with the token in X-Gotify-Key, never in the URL', async () => {
    const r = await bed.closing(startGotify());
    const delivery = await channelOf(
      { type: 'gotify', baseUrl: `${r.url}/`, token: '${GOTIFY}' },
      { GOTIFY: GOTIFY.token },
    ).send(message);
    expect(delivery.answer).toBe('HTTP 200 message 1');
    const [request] = r.accepted();
    expect(request?.headers['x-gotify-key']).toBe(GOTIFY.token);
    expect(request?.query.has('token')).toBe(false);
    expect(jsonBody(request as never)).toMatchObject({
      title: 'uptime-squirrel: 1 down, 1 recovered',
      priority: 8,
      extras: { 'client::display': { contentType: 'text/plain' } },
      message: expect.stringContaining('- Site 2: was down from'),
    });
  });

  it("quotes Gotify's error; a wrong token is permanent, a 500 waits", async () => {
    const r = await bed.closing(startGotify());
    r.fail('server-error');
    const { send } = channelOf({ type: 'gotify', ...GOTIFY, priority: 3, baseUrl: r.url });
    expect(await rejection(send(message))).toMatchObject({
      transient: true,
      message: 'the Gotify server answered HTTP 500: Internal Server Error: database is locked',
    });
    await send(message);
    expect(jsonBody(r.accepted()[0] as never).priority).toBe(3);
    const wrong = await rejection(channelOf({ type: 'gotify', token: 'nope', baseUrl: r.url }).send(message));
    expect(wrong).toMatchObject({ transient: false, answer: { httpStatus: 401 } });
  });
});
