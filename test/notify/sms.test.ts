import { describe, expect, it } from 'vitest';
import { eventsMessage, summaryMessage, testMessage } from '../../src/notify/compose.js';
import { fitWords, isGsm7, renderSms, smsSize } from '../../src/notify/render/sms.js';
import { down, event, site, T0, up } from './fixtures.js';

const downs = (n: number, name = (i: number) => `Site ${i}`) =>
  Array.from({ length: n }, (_, i) => down(i + 1, T0, { site: site(i + 1, name(i + 1)) }));

describe('GSM 03.38 or UCS-2', () => {
  it('knows the basic alphabet, accents and Greek capitals included', () => {
    expect(isGsm7('uptime-squirrel: 3 down: API, Shop')).toBe(true);
    expect(isGsm7('@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà\n\r')).toBe(true);
  });

  it('knows the extension table, and that each of its characters takes two septets', () => {
    expect(isGsm7('€[]{}|~^\\\f')).toBe(true);
    expect(smsSize('€[]{}|~^\\')).toEqual({ encoding: 'GSM-7', units: 18, segments: 1 });
    // 159 plain + one € = 161 septets: two segments, although 160 characters.
    expect(smsSize(`${'a'.repeat(159)}€`)).toMatchObject({ units: 161, segments: 2 });
  });

  it('needs UCS-2 for anything else: lower-case ç, curly quotes, CJK, emoji', () => {
    for (const text of ['ç', '’', '東京', '🐿', 'â', '`']) expect(isGsm7(text), text).toBe(false);
    expect(smsSize('東京')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1 });
    // An emoji is a surrogate pair: two UTF-16 code units.
    expect(smsSize('🐿')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1 });
  });
});

describe('counting segments', () => {
  it('fits 160 septets in one, then 153 each', () => {
    expect(smsSize('')).toMatchObject({ segments: 0 });
    expect(smsSize('a'.repeat(160)).segments).toBe(1);
    expect(smsSize('a'.repeat(161)).segments).toBe(2);
    expect(smsSize('a'.repeat(306)).segments).toBe(2);
    expect(smsSize('a'.repeat(307)).segments).toBe(3);
  });

  it('fits 70 UCS-2 units in one, then 67 each', () => {
    expect(smsSize('ç'.repeat(70)).segments).toBe(1);
    expect(smsSize('ç'.repeat(71)).segments).toBe(2);
    expect(smsSize('ç'.repeat(134)).segments).toBe(2);
    expect(smsSize('ç'.repeat(135)).segments).toBe(3);
  });

  it('never splits a two-septet character or a surrogate pair between segments', () => {
    // 152 septets, then € (2): it does not fit in the first 153, so it starts the second segment.
    expect(smsSize(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ units: 306, segments: 3 });
    expect(smsSize(`${'a'.repeat(153)}€${'a'.repeat(151)}`)).toMatchObject({ units: 306, segments: 2 });
    // 66 units, then an emoji (2): it moves whole to the second segment.
    expect(smsSize(`${'ç'.repeat(66)}🐿${'ç'.repeat(66)}`)).toMatchObject({ units: 134, segments: 3 });
  });
});

describe('the text of a sweep', () => {
  it('names the sites of a small sweep, every group', () => {
    const message = eventsMessage([down(1), down(2), up(3, T0 - 60_000, T0)], [], { id: 'm' });
    expect(renderSms(message)).toBe('uptime-squirrel: 2 down: Site 1, Site 2. 1 recovered: Site 3');
  });

  it('says 40 sites down in at most two GSM-7 segments, naming as many as fit and how many more', () => {
    const text = renderSms(eventsMessage(downs(40), [], { id: 'm' }));
    expect(smsSize(text)).toMatchObject({ encoding: 'GSM-7' });
    expect(smsSize(text).segments).toBeLessThanOrEqual(2);
    // Independently of smsSize: ASCII only, so one septet a character, and 2 x 153 at most.
    expect(text).toMatch(/^[ -~]+$/);
    expect(text.length).toBeLessThanOrEqual(306);
    const match = /^uptime-squirrel: 40 down: ((?:Site \d+, )*Site \d+) and (\d+) more$/.exec(text);
    expect(match, text).not.toBeNull();
    const named = (match?.[1] ?? '').split(', ');
    expect(named.length + Number(match?.[2])).toBe(40);
    expect(named).toEqual(named.map((_, i) => `Site ${i + 1}`));
    // As full as whole names allow: one more would not fit.
    expect(named.length).toBeGreaterThan(20);
    const oneMore = text.replace(
      / and \d+ more$/,
      `, Site ${named.length + 1} and ${40 - named.length - 1} more`,
    );
    expect(smsSize(oneMore).segments).toBe(3);
  });

  it('never cuts a name: a long one is named whole or counted', () => {
    const long = 'The customer-facing payment gateway of the European shop'.repeat(2);
    const text = renderSms(
      eventsMessage(
        downs(30, (i) => `${long} ${i}`),
        [],
        { id: 'm' },
      ),
    );
    expect(smsSize(text).segments).toBeLessThanOrEqual(2);
    const named = /down: (.*) and (\d+) more$/.exec(text);
    expect(named?.[1]?.split(', ').every((n) => /^.* \d+$/.test(n) && n.startsWith(long))).toBe(true);
  });

  it('leaves room to name what recovered when many are down', () => {
    const events = [...downs(40), up(41, T0 - 60_000, T0)];
    const text = renderSms(eventsMessage(events, [], { id: 'm' }));
    expect(smsSize(text).segments).toBeLessThanOrEqual(2);
    expect(text).toMatch(/^uptime-squirrel: 40 down: Site 1, .* and \d+ more\. 1 recovered: Site 41$/);
  });

  it('switches to UCS-2 for a name only when the text still fits two segments that way', () => {
    // Early on, the switch costs little: the name is shown, and fewer names fit after it.
    const early = renderSms(
      eventsMessage(
        downs(40, (i) => (i === 3 ? 'Café ☕' : `Site ${i}`)),
        [],
        { id: 'm' },
      ),
    );
    expect(smsSize(early)).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect(early).toMatch(/^uptime-squirrel: 40 down: Site 1, Site 2, Café ☕, Site 4, .* and \d+ more$/);
    // Late, it would not fit: the list stops before it, in GSM-7.
    const late = renderSms(
      eventsMessage(
        downs(40, (i) => (i === 25 ? 'Café ☕' : `Site ${i}`)),
        [],
        { id: 'm' },
      ),
    );
    expect(smsSize(late)).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(late).toMatch(/, Site 24 and 16 more$/);
  });

  it('sends UCS-2 when the names need it and fit, within two segments', () => {
    const text = renderSms(eventsMessage([down(1, T0, { site: site(1, '東京 API') })], [], { id: 'm' }));
    expect(text).toBe('uptime-squirrel: 1 down: 東京 API');
    expect(smsSize(text)).toMatchObject({ encoding: 'UCS-2', segments: 1 });
  });

  it('names a site without a name by its URL, without the scheme', () => {
    const text = renderSms(eventsMessage([down(1, T0, { site: site(1, null) })], [], { id: 'm' }));
    expect(text).toBe('uptime-squirrel: 1 down: site-1.example.com/health');
  });

  it('says the monitor is offline, and that it may repeat a text after a restart', () => {
    const offline = event('monitor-offline', { failed: 8, checked: 8 });
    expect(renderSms(eventsMessage([offline], [], { id: 'm' }))).toBe(
      'uptime-squirrel: monitor offline, site alerts held',
    );
    expect(renderSms(eventsMessage([down(1)], [], { id: 'm', maybeRepeat: true }))).toBe(
      'uptime-squirrel: 1 down: Site 1 (may repeat an earlier text)',
    );
  });

  it('stays within two segments for 10,000 sites', () => {
    const text = renderSms(eventsMessage(downs(10_000), [], { id: 'm' }));
    expect(smsSize(text).segments).toBeLessThanOrEqual(2);
    expect(text).toMatch(/and \d{4} more$/);
  });
});

describe('other messages', () => {
  it('a test message says it arrived', () => {
    const message = testMessage({ channel: 'pager', type: 'twilio', host: 'mon-1', sites: 3 });
    expect(renderSms(message)).toBe(
      'uptime-squirrel: test message for channel pager. If you can read it, the channel works.',
    );
  });

  it('a summary gives its title and as much of the rest as fits, in whole words', () => {
    const report = {
      since: '2024-05-01T08:00:00.000Z',
      until: '2024-05-02T08:00:00.000Z',
      sites: Array.from({ length: 3 }, (_, i) => ({
        key: `k${i}`,
        url: `https://s${i}.example.com/`,
        name: `S${i}`,
        uptimePct: 99.5,
        checks: 288,
        p95Ms: 120,
        state: 'up' as const,
        incidents: [],
      })),
    };
    const text = renderSms(summaryMessage(report as never, { id: 's' }));
    expect(text.startsWith('uptime-squirrel: daily summary: 3 sites, 99.500% up, 0 incidents.')).toBe(true);
    expect(smsSize(text).segments).toBeLessThanOrEqual(2);
  });

  it('cuts at a word, and marks the cut', () => {
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const text = fitWords(words, 1);
    expect(smsSize(text).segments).toBe(1);
    expect(text).toMatch(/ word\d+\.\.\.$/);
    expect(words.startsWith(text.slice(0, -3))).toBe(true);
    expect(words[text.length - 3]).toBe(' ');
  });
});

describe("a channel's template", () => {
  it('gives the text instead, in whole words within two segments', () => {
    const message = { ...eventsMessage(downs(3), [], { id: 'm' }), body: () => `${'word '.repeat(100)}end` };
    const text = renderSms(message);
    expect(smsSize(text).segments).toBeLessThanOrEqual(2);
    expect(text).toMatch(/^(word )+word\.\.\.$/);
  });
});
