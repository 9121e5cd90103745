/**
 * The status page: plain HTML and one inline style sheet generated on the server, no JavaScript. It
 * reloads itself (meta refresh), reads on a 375 px phone and a 1440 px screen, and says every state in
 * words as well as colour. Every string from the model is escaped here, at the point it meets HTML.
 */

import { humanDuration } from '../../util/time.js';
import { PAGE_CSP, PAGE_CSS } from './css.js';
import { escapeHtml as h } from './escape.js';
import { formatPct, formatTime } from './format.js';
import {
  BANNER_WORDS,
  type DayBucket,
  groupSites,
  STATE_WORDS,
  type StatusIncident,
  type StatusModel,
  type StatusSite,
  type UptimeWindows,
} from './model.js';

function time(iso: string): string {
  return `<time datetime="${h(iso)}">${h(formatTime(iso))}</time>`;
}

/** A day's bar: good (no failure), some (failures, at least 99% up), bad (under 99%), or no data. */
function barClass(day: DayBucket): string {
  if (day.uptimePct === null) return 'bar';
  if (day.failures === 0) return 'bar bar-good';
  return day.uptimePct >= 99 ? 'bar bar-some' : 'bar bar-bad';
}

function barTitle(day: DayBucket): string {
  if (day.uptimePct === null) return `${day.day}: no data`;
  const failed = day.failures === 0 ? 'none failed' : `${day.failures} failed`;
  return `${day.day}: ${formatPct(day.uptimePct)} up (${day.checks} checks, ${failed})`;
}

function bars(site: StatusSite): string {
  const withData = site.days.filter((d) => d.uptimePct !== null);
  const bad = withData.filter((d) => d.failures > 0).length;
  const noData = site.days.length - withData.length;
  const summary = `${site.days.length}-day history: ${withData.length} days with checks, ${bad} with failures, ${noData} without data`;
  const cells = site.days
    .map((d) => `<span class="${barClass(d)}" title="${h(barTitle(d))}"></span>`)
    .join('');
  return [
    `<div class="bars" role="img" aria-label="${h(summary)}">${cells}</div>`,
    `<div class="bar-legend" aria-hidden="true"><span>${site.days.length} days ago</span><span>today (UTC)</span></div>`,
  ].join('\n');
}

const WINDOWS: { key: keyof UptimeWindows; label: string }[] = [
  { key: '24h', label: '24 h' },
  { key: '7d', label: '7 days' },
  { key: '30d', label: '30 days' },
  { key: '90d', label: '90 days' },
];

function uptimes(site: StatusSite): string {
  const items = WINDOWS.map(({ key, label }) => {
    const pct = site.uptime[key];
    return `<div><dt>${label}</dt><dd data-window="${key}">${pct === null ? 'no data' : formatPct(pct)}</dd></div>`;
  });
  return `<dl class="uptime">${items.join('')}</dl>`;
}

function incident(i: StatusIncident): string {
  const span = i.end === null ? `since ${time(i.start)}` : `${time(i.start)} to ${time(i.end)}`;
  const cls = i.end === null ? 'incident incident-open' : 'incident';
  const lead = i.end === null ? 'Ongoing ' : '';
  return `<li class="${cls}">${lead}${span} (${h(humanDuration(i.durationMs))}): ${h(i.cause)}</li>`;
}

function incidents(site: StatusSite): string {
  const parts: string[] = [];
  if (site.openIncidents.length > 0) {
    parts.push(`<ul class="incidents incidents-open">${site.openIncidents.map(incident).join('')}</ul>`);
  }
  if (site.closedIncidents.length > 0) {
    const n = site.closedIncidents.length;
    parts.push(
      `<details class="incidents-closed"><summary>Last ${n === 1 ? 'incident' : `${n} incidents`}</summary>`,
      `<ol class="incidents">${site.closedIncidents.map(incident).join('')}</ol></details>`,
    );
  }
  return parts.join('\n');
}

function meta(site: StatusSite): string {
  const parts: string[] = [];
  if (site.since !== null) parts.push(`since ${time(site.since)}`);
  if (site.responseMs !== null) parts.push(`${Math.round(site.responseMs)} ms`);
  if (site.certDaysLeft !== null) {
    parts.push(
      site.certDaysLeft < 0
        ? 'certificate expired'
        : `certificate: ${site.certDaysLeft} day${site.certDaysLeft === 1 ? '' : 's'} left`,
    );
  }
  parts.push(`id <code>${h(site.id)}</code>`);
  return `<p class="site-meta">${parts.join(' · ')}</p>`;
}

function siteItem(site: StatusSite): string {
  return [
    `<li class="site" id="site-${h(site.id)}" data-site-id="${h(site.id)}" data-state="${h(site.state)}">`,
    '<div class="site-head">',
    `<h3 class="site-name">${h(site.name)}</h3>`,
    `<span class="state state-${h(site.state)}">${h(STATE_WORDS[site.state])}</span>`,
    site.maintenance === null
      ? ''
      : `<span class="muted maintenance">Maintenance: ${h(site.maintenance)}</span>`,
    '</div>',
    meta(site),
    bars(site),
    uptimes(site),
    siteLocations(site),
    incidents(site),
    '</li>',
  ].join('\n');
}

const LOCATION_WORDS = { up: 'up', down: 'down', unknown: 'no result' } as const;

/** Each location's view of the site: a regional problem below the quorum is visible here. */
function siteLocations(site: StatusSite): string {
  if (site.locations === undefined || site.locations.length === 0) return '';
  const items = site.locations.map((l) => {
    const uptime = l.uptime24h === null ? 'no data' : `${formatPct(l.uptime24h)} (24 h)`;
    return `<li class="location state-${h(l.state)}" data-location="${h(l.location)}" data-state="${h(l.state)}">${h(l.location)}: ${LOCATION_WORDS[l.state]}, ${uptime}</li>`;
  });
  return `<ul class="locations">${items.join('')}</ul>`;
}

/** Locations without a live worker in the latest sweep, by name: counted as not answering. */
function missingLocations(model: StatusModel): string {
  if (model.locationsMissing === undefined || model.locationsMissing.length === 0) return '';
  const items = model.locationsMissing.map(
    (m) =>
      `<li data-location="${h(m.location)}">${h(m.location)}: no result for ${m.missing} site${m.missing === 1 ? '' : 's'} in the latest sweep (no live worker there); counted as not answering</li>`,
  );
  return `<ul class="banner banner-degraded" id="locations-missing">${items.join('')}</ul>`;
}

/** When the monitor could not see the sites: a gap in every site's history, neither up nor down. */
function offlinePeriods(model: StatusModel): string {
  if (model.monitorOffline.length === 0) return '';
  const items = model.monitorOffline.map((p) => {
    const span = p.end === null ? `Ongoing since ${time(p.start)}` : `${time(p.start)} to ${time(p.end)}`;
    return `<li class="incident${p.end === null ? ' incident-open' : ''}">${span} (${h(humanDuration(p.durationMs))})</li>`;
  });
  return [
    '<section class="group" id="monitor-offline">',
    '<h2>Monitor offline</h2>',
    '<p class="muted">The monitor itself could not reach the network: these times count neither as up nor as down for any site.</p>',
    `<ol class="incidents">${items.join('')}</ol>`,
    '</section>',
  ].join('\n');
}

/** Silences of public sites: checked as always, nobody notified until they end. */
function silences(model: StatusModel): string {
  if (model.silences.length === 0) return '';
  const items = model.silences.map((x) => {
    const sites = x.sites === null ? 'Every site' : x.sites.join(', ');
    const reason = x.reason === null ? '' : `: ${h(x.reason)}`;
    return `<li class="incident">${h(sites)}, ${time(x.start)} to ${time(x.end)}${reason}</li>`;
  });
  return [
    '<section class="group" id="silences">',
    '<h2>Silenced</h2>',
    '<p class="muted">These sites are checked as always, but no notification goes out for them until the silence ends.</p>',
    `<ol class="incidents">${items.join('')}</ol>`,
    '</section>',
  ].join('\n');
}

function sections(model: StatusModel): string {
  if (model.sites.length === 0) return '<p class="muted">No public sites.</p>';
  return groupSites(model.sites)
    .map(({ group, sites }) => {
      const heading = group === null ? '' : `<h2>${h(group)}</h2>\n`;
      return `<section class="group">\n${heading}<ul class="sites">\n${sites.map(siteItem).join('\n')}\n</ul>\n</section>`;
    })
    .join('\n');
}

export function renderStatusPage(model: StatusModel): string {
  const description =
    model.description ?? `Status of ${model.sites.length} site${model.sites.length === 1 ? '' : 's'}`;
  const swept = model.lastSweepAt === null ? 'no sweep yet' : `last check ${time(model.lastSweepAt)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${h(PAGE_CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<meta http-equiv="refresh" content="${Math.max(1, Math.round(model.refreshSeconds))}">
<meta name="description" content="${h(description)}">
<title>${h(model.title)}</title>
<link rel="icon" href="data:,">
<style>${PAGE_CSS}</style>
</head>
<body>
<div class="wrap">
<header>
<h1>${h(model.title)}</h1>
${model.description === null ? '' : `<p class="muted">${h(model.description)}</p>`}
</header>
<main>
<p class="banner banner-${h(model.banner.state)}" id="banner" data-state="${h(model.banner.state)}">${h(model.banner.text || BANNER_WORDS[model.banner.state])}</p>
${missingLocations(model)}
${sections(model)}
${offlinePeriods(model)}
${silences(model)}
</main>
<footer>
<p>Updated ${time(model.generatedAt)}; ${swept}. This page reloads every ${Math.round(model.refreshSeconds)} s. Times are UTC.</p>
<p>One bar per UTC day: green, every check passed; amber, some failed (99% up or more); red, under 99% up; grey, no data. Each bar's title gives the day's figures.</p>
</footer>
</div>
</body>
</html>
`;
}
