import { anomalies, type Finding, findings } from '../insights/findings.ts';
import type { ConvertedBySource } from '../insights/source-conversions.ts';
import type { Answers } from '../stats/answers.ts';
import { breakdown } from '../stats/breakdown.ts';
import { goalBreakdown } from '../stats/goal-breakdown.ts';
import type { Resolved } from '../stats/params.ts';
import { comparisonRange } from '../stats/range.ts';
import { summarize } from '../stats/summary.ts';
import type { KeptStore } from '../stats/kept-days.ts';
import { timeseries } from '../stats/timeseries.ts';
import { listGoals } from '../store/goals.ts';
import { dayDate } from '../timezone.ts';
import { chartSvg, escapeHtml } from './chart-svg.ts';

/** What a delivery carries: a subject, a text and an HTML body, and the JSON a webhook sends. */
export interface Message {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly payload: Record<string, unknown>;
}

const number = (n: number) => n.toLocaleString('en-US');
const change = (c: number | null | undefined) => (c == null ? 'new' : `${c > 0 ? '+' : ''}${c}%`);

/** A read-API call of the range, as the report names it for each figure. */
function call(path: string, resolved: Resolved, siteId: string, extra: Record<string, string> = {}): string {
  const q = resolved.query!;
  const params = new URLSearchParams({ site_id: siteId, from: dayDate(q.from), to: dayDate(q.to), ...extra });
  const filters = resolved.filters.map((c) => `${c.dim}${c.op}${c.value.replace(/\\/g, '\\\\').replace(/;/g, '\\;')}`).join(';');
  if (filters) params.set('filters', filters);
  return `${path}?${params}`;
}

/** Where a digest's numbers come from: the read API's own answers, and the store for goals. */
export interface DigestReads {
  readonly store: KeptStore;
  readonly answers: Answers;
  readonly convertedBy: ConvertedBySource;
}

/** Rows of a digest's goals section: at most this many, as `/stats/breakdown?by=goal&limit=` gives them. */
const DIGEST_GOALS = 10;

/**
 * A digest of a range: the KPIs with their change from the period before
 * (`GET /stats?compare=previous_period`), the top pages and sources, the
 * goals when the site has any (`/stats/breakdown?by=goal`), the daily
 * visitors as a chart, and the findings of `/stats/insights`; the same
 * functions answer both, and each section names the call that gives it.
 */
export async function digestMessage(
  reads: DigestReads,
  siteId: string,
  label: string,
  resolved: Resolved,
  lastFullDay: number,
): Promise<Message> {
  const { answers } = reads;
  const q = resolved.query!;
  const [summary, sources, days, found, hasGoals, goals] = await Promise.all([
    summarize(answers, siteId, undefined, resolved),
    breakdown(answers, q, 'source', 5, 1),
    timeseries(answers, q, 'day'),
    findings(answers, { q, previous: { ...q, ...comparisonRange(resolved.range!, 'previous_period') }, lastFullDay }, reads.convertedBy),
    listGoals(reads.store.db, siteId).then((list) => list.length > 0),
    goalBreakdown(reads.store, answers, q).then((rows) => rows.slice(0, DIGEST_GOALS)),
  ]);
  const m = summary.metrics;
  const c = (summary.comparison?.change ?? {}) as Record<string, number | null>;
  // ASCII: a subject with none needs no encoding, in every mail client.
  const range = `${dayDate(q.from)} to ${dayDate(q.to)}`;
  const subject = `${siteId} ${label}: ${number(m.visitors)} visitors (${change(c.visitors)}), ${range}`;
  const kpis: [string, string, number | null][] = [
    ['Visitors', number(m.visitors), c.visitors ?? null],
    ['Visits', number(m.visits), c.visits ?? null],
    ['Page views', number(m.pageviews), c.pageviews ?? null],
    ['Bounce rate', `${m.bounce_rate}%`, c.bounce_rate ?? null],
    ['Visit duration', `${m.visit_duration}s`, c.visit_duration ?? null],
  ];
  const reproduce = {
    kpis: call('/stats', resolved, siteId, { compare: 'previous_period' }),
    top_pages: call('/stats', resolved, siteId),
    sources: call('/stats/breakdown', resolved, siteId, { by: 'source', limit: '5' }),
    ...(hasGoals ? { goals: call('/stats/breakdown', resolved, siteId, { by: 'goal', limit: String(DIGEST_GOALS) }) } : {}),
    chart: call('/stats/timeseries', resolved, siteId, { interval: 'day' }),
    insights: call('/stats/insights', resolved, siteId),
  };
  const goalLine = (g: (typeof goals)[number]) =>
    `${g.value}: ${number(g.visitors)} visitors, ${number(g.events)} completions, ${g.conversion_rate}% conversion${Object.entries(
      g.revenue,
    )
      .map(([currency, amount]) => `, ${amount} ${currency}`)
      .join('')}`;
  const sections: { title: string; from: string; lines: string[] }[] = [
    {
      title: 'Key figures',
      from: reproduce.kpis,
      lines: kpis.map(
        ([name, value, delta]) =>
          `${name}: ${value} (${delta == null ? 'no earlier data' : `${delta > 0 ? '+' : ''}${delta}${name === 'Bounce rate' ? ' points' : '%'}`})`,
      ),
    },
    {
      title: 'Top pages',
      from: `${reproduce.top_pages} (top_paths)`,
      lines: summary.top_paths.slice(0, 5).map((p) => `${p.path ?? '(none)'}: ${number(p.views)} views`),
    },
    {
      title: 'Top sources',
      from: reproduce.sources,
      lines: sources.map((s) => `${s.value ?? 'Direct / none'}: ${number(s.visitors)} visitors`),
    },
    ...(reproduce.goals
      ? [{ title: 'Goals', from: reproduce.goals, lines: goals.length ? goals.map(goalLine) : ['No goal was completed.'] }]
      : []),
    {
      title: found.length ? 'What stood out' : 'Nothing stood out',
      from: `${reproduce.insights} (each finding's own calls follow it)`,
      lines: found.flatMap((f) => [`- ${f.sentence}`, ...f.reproduce.map((u) => `    from ${u}`)]),
    },
  ];
  const text = [
    `${siteId}, ${label}, ${range} (${resolved.timeZone})`,
    ...sections.flatMap((section) => ['', `${section.title} (from ${section.from}):`, ...section.lines.map((l) => `  ${l}`)]),
    '',
    `Daily visitors (the chart of the HTML part): ${reproduce.chart}`,
  ].join('\n');
  const source = (u: string) => `<p style="margin:0;color:#6b7280;font-size:12px">from <code>${escapeHtml(u)}</code></p>`;
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2937">
<h2 style="margin:0 0 4px">${escapeHtml(siteId)}: ${escapeHtml(label)}</h2>
<p style="margin:0 0 16px;color:#6b7280">${escapeHtml(range)} (${escapeHtml(resolved.timeZone)})</p>
<table cellpadding="6" style="border-collapse:collapse">${kpis
    .map(
      ([name, value, delta]) =>
        `<tr><td>${name}</td><td><b>${escapeHtml(value)}</b></td><td style="color:#6b7280">${escapeHtml(change(delta))}</td></tr>`,
    )
    .join('')}</table>
${source(reproduce.kpis)}
${chartSvg(days.map((d) => ({ label: d.date, value: d.visitors })))}
${source(reproduce.chart)}
<h3>Top pages</h3><ol>${summary.top_paths
    .slice(0, 5)
    .map((p) => `<li>${escapeHtml(p.path ?? '(none)')}: ${number(p.views)}</li>`)
    .join('')}</ol>${source(`${reproduce.top_pages} (top_paths)`)}
<h3>Top sources</h3><ol>${sources.map((s) => `<li>${escapeHtml(s.value ?? 'Direct / none')}: ${number(s.visitors)}</li>`).join('')}</ol>${source(reproduce.sources)}
${reproduce.goals ? `<h3>Goals</h3>${goals.length ? `<ol>${goals.map((g) => `<li>${escapeHtml(goalLine(g))}</li>`).join('')}</ol>` : '<p>No goal was completed.</p>'}${source(reproduce.goals)}` : ''}
<h3>${found.length ? 'What stood out' : 'Nothing stood out'}</h3><ul>${found
    .map((f) => `<li>${escapeHtml(f.sentence)}${f.reproduce.map(source).join('')}</li>`)
    .join('')}</ul>${source(reproduce.insights)}
</body></html>`;
  return {
    subject,
    text,
    html,
    payload: {
      text: `*${subject}*\n${found.map((f) => `• ${f.sentence}`).join('\n')}`.trim(),
      kind: 'digest',
      site_id: siteId,
      range: summary.range,
      metrics: m,
      comparison: summary.comparison ?? null,
      top_pages: summary.top_paths.slice(0, 5),
      top_sources: sources,
      ...(reproduce.goals ? { goals } : {}),
      findings: found,
      reproduce,
    },
  };
}

/** The spikes and drops of one day (the forecast from the day before it), as `/stats/insights` finds them. */
export async function dayAnomalies(answers: Answers, resolved: Resolved, day: number): Promise<Finding[]> {
  const q = { ...resolved.query!, from: day, to: day };
  return anomalies(answers, { q, previous: q, lastFullDay: day });
}

/** An alert of a day's or an hour's spike or drop; with none, the check's result (for a delivery asked for at once). */
export function alertMessage(siteId: string, date: string, found: readonly Finding[]): Message {
  const first = found[0];
  const when = first?.numbers.hour === undefined ? `on ${date}` : `at ${String(first.numbers.hour).replace('T', ' ')}`;
  const subject = first
    ? `${siteId}: ${first.kind === 'spike' ? 'spike' : 'drop'} in ${String(first.numbers.metric)} ${when}`
    : `${siteId}: no spike or drop on ${date}`;
  const lines = first ? found.map((f) => f.sentence) : [`Visitors and page views on ${date} were within their 95% intervals.`];
  const reproduce = found.flatMap((f) => f.reproduce);
  const text = [...lines, '', ...(reproduce.length ? ['The numbers, from the read API:', ...reproduce.map((u) => `  ${u}`)] : [])].join(
    '\n',
  );
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif"><h2>${escapeHtml(subject)}</h2>${lines
    .map((l) => `<p>${escapeHtml(l)}</p>`)
    .join('')}${reproduce.map((u) => `<p><code>${escapeHtml(u)}</code></p>`).join('')}</body></html>`;
  return {
    subject,
    text,
    html,
    payload: { text: `*${subject}*\n${lines.join('\n')}`, kind: 'alert', site_id: siteId, date, findings: found },
  };
}
