import type { LinkStats, LinkStatsResponse } from '../../links/schemas.ts';
import type { Api } from './api.ts';
import { h, setText } from './dom.ts';
import { formatNumber } from './format.ts';
import { countryName } from './labels.ts';
import { apiParams, type DashboardState } from './state.ts';

/**
 * The links card: tracked short links (`/l/CODE`) and the site's own outbound
 * and download links, each with its clicks today, this week, this month and
 * in the period; opening one shows where its clicks came from and its days.
 */

export interface LinksPanel {
  readonly element: HTMLElement;
  load(state: DashboardState, background: boolean): Promise<void>;
}

const KIND_LABELS: Record<LinkStats['kind'], string> = { tracked: 'short link', outbound: 'outbound', download: 'download' };
const COLUMNS = [
  { label: 'Today', title: 'clicks today', value: (l: LinkStats) => l.clicks.today },
  { label: 'Week', title: 'clicks this week (from Monday)', value: (l: LinkStats) => l.clicks.week },
  { label: 'Month', title: 'clicks this month', value: (l: LinkStats) => l.clicks.month },
  { label: 'Period', title: 'clicks in the period shown', value: (l: LinkStats) => l.clicks.range },
  { label: 'Uniques', title: 'visitors who clicked in the period, once a day', value: (l: LinkStats) => l.unique_clicks.range },
];
/** The columns a phone keeps: the period's. */
const NARROW_FROM = 3;

export function createLinksPanel(deps: { api: Api; onError: (error: unknown) => void }): LinksPanel {
  const head = h(
    'div',
    { class: 'rows-head' },
    h('span', { class: 'rows-head-value' }, 'Link'),
    ...COLUMNS.map((c, i) => h('span', { class: i < NARROW_FROM ? 'num extra' : 'num', title: c.title }, c.label)),
  );
  const rows = h('ol', { class: 'rows link-rows' });
  const message = h('p', { class: 'panel-message', hidden: true });
  const body = h('div', { class: 'panel-body', 'aria-busy': 'false' }, head, rows, message);
  body.style.setProperty('--columns', String(COLUMNS.length));
  body.style.setProperty('--narrow-columns', String(COLUMNS.length - NARROW_FROM));
  const element = h(
    'section',
    { class: 'card panel links-panel', 'data-panel': 'tracked-links', 'aria-labelledby': 'links-panel-title' },
    h(
      'header',
      { class: 'panel-header' },
      h('h2', { id: 'links-panel-title' }, 'Tracked links'),
      h('span', { class: 'muted' }, "short links and the site's own outbound links"),
    ),
    body,
  );
  let generation = 0;
  let shown = '';
  const open = new Set<string>();

  async function load(state: DashboardState, background: boolean): Promise<void> {
    const gen = ++generation;
    if (!background) body.setAttribute('aria-busy', 'true');
    try {
      const res = await deps.api.json<LinkStatsResponse>('/stats/links', apiParams(state, { compare: false, filters: false }));
      if (gen !== generation) return;
      show(res.links);
    } catch (error) {
      if (gen !== generation) return;
      if (!background) show([], 'These numbers could not be loaded.');
      deps.onError(error);
    } finally {
      if (gen === generation) body.setAttribute('aria-busy', 'false');
    }
  }

  function show(links: readonly LinkStats[], failure?: string): void {
    // Without a short link the card would list the Links card's outbound and download rows again.
    element.hidden = failure === undefined && !links.some((l) => l.kind === 'tracked');
    const note =
      failure ??
      (links.length === 0
        ? 'No link clicks yet. Create a short link with POST /links (see the API docs) and share its /l/ address.'
        : null);
    message.hidden = note === null;
    setText(message, note ?? '');
    head.hidden = links.length === 0;
    // A refresh that brings the same numbers leaves the rows (and what is open) alone.
    const signature = JSON.stringify(links);
    if (signature === shown) return;
    shown = signature;
    const max = Math.max(1, ...links.map((l) => l.clicks.range));
    rows.replaceChildren(...links.map((l) => renderLink(l, max)));
  }

  function renderLink(link: LinkStats, max: number): HTMLElement {
    const id = `${link.kind}:${link.code ?? link.target_url}`;
    const bar = h('span', { class: 'bar', 'aria-hidden': 'true' });
    bar.style.width = `${Math.max(0.5, (link.clicks.range / max) * 100)}%`;
    const name = link.code ? (link.title ?? `/l/${link.code}`) : link.target_url.replace(/^https?:\/\//, '');
    const label = h(
      'span',
      { class: 'row-label' },
      h('span', { class: `badge kind-${link.kind}` }, KIND_LABELS[link.kind]),
      h('span', { class: 'row-text', title: link.target_url }, name),
      link.removed ? h('span', { class: 'badge' }, 'removed') : null,
    );
    const summary = h(
      'summary',
      { class: 'row' },
      bar,
      label,
      ...COLUMNS.map((c, i) => h('span', { class: i < NARROW_FROM ? 'num extra' : 'num' }, formatNumber(c.value(link)))),
    );
    const details = h('details', { class: 'link-details', open: open.has(id) }, summary, renderDetail(link));
    details.addEventListener('toggle', () => (details.open ? open.add(id) : open.delete(id)));
    return h('li', { 'data-link': link.code ?? link.target_url }, details);
  }

  return { element, load };
}

function renderDetail(link: LinkStats): HTMLElement {
  const list = (title: string, items: readonly { value: string | null; clicks: number }[], label: (v: string | null) => string) =>
    h(
      'div',
      { class: 'link-detail-list' },
      h('h3', {}, title),
      items.length === 0
        ? h('p', { class: 'muted' }, 'none in this period')
        : h(
            'ol',
            {},
            ...items.map((i) =>
              h('li', {}, h('span', { class: 'row-text' }, label(i.value)), h('span', { class: 'num' }, formatNumber(i.clicks))),
            ),
          ),
    );
  const peak = Math.max(1, ...link.timeline.map((d) => d.clicks));
  const days = h('div', {
    class: 'link-days',
    role: 'img',
    'aria-label': `Clicks per day: ${link.timeline.map((d) => `${d.date} ${d.clicks}`).join(', ')}`,
  });
  for (const day of link.timeline) {
    const column = h('span', { class: 'link-day', title: `${day.date}: ${day.clicks} clicks, ${day.unique_clicks} unique` });
    column.style.height = `${(day.clicks / peak) * 100}%`;
    days.append(column);
  }
  return h(
    'div',
    { class: 'link-detail' },
    h(
      'p',
      { class: 'muted link-target' },
      link.code ? `/l/${link.code} → ` : 'to ',
      link.target_url,
      link.profile ? ` · on /p/${link.profile}` : '',
    ),
    h(
      'div',
      { class: 'link-detail-grid' },
      list('Countries', link.top_countries, (v) => (v ? countryName(v) : '(unknown)')),
      list(link.kind === 'tracked' ? 'Referrers' : 'Clicked on', link.top_referrers, (v) => v ?? 'Direct / none'),
      h('div', { class: 'link-detail-list' }, h('h3', {}, 'Per day'), days),
    ),
  );
}
