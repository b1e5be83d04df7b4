import { type Api, ApiError, type KeyStore } from './api.ts';
import type { createPanel } from './breakdown-panel.ts';
import type { createChart } from './chart.ts';
import { chartModel, nowBucket } from './chart-model.ts';
import { chartCurrency, chartNoteText, showChartNote } from './chart-note.ts';
import { type createControls, showInterval } from './controls.ts';
import { h, setText } from './dom.ts';
import { csvFilename, downloadText } from './download.ts';
import type { createEmptyState } from './empty-state.ts';
import type { createFilterBar } from './filter-bar.ts';
import { firstPeriod, leavesPeriodOpen } from './first-view.ts';
import { forecastMetric, forecastRows, withOverlay } from './forecast-layer.ts';
import type { createHeatmapCard } from './heatmap-card.ts';
import { type createInsightsCard, withoutCompare } from './insights-card.ts';
import type { createKeyDialog } from './key-dialog.ts';
import type { createKpiCards } from './kpis.ts';
import type { createFunnelView } from './funnel-view.ts';
import type { createJourneysView } from './journeys-view.ts';
import type { createLinksPanel } from './links-panel.ts';
import type { createNotice } from './notice.ts';
import { chartInterval, type DayRange, expectedRange, todayIn } from './period.ts';
import type { createRealtime } from './realtime.ts';
import { showAnySiteNote } from './site-note.ts';
import { showImportedNote } from './imported-note.ts';
import { type ShareMode, viewAddress } from './share-mode.ts';
import { apiParams, type Compare, type DashboardState, updateState, writeState } from './state.ts';
import type { ForecastResponse, RealtimeResponse, SiteInfo, SitesResponse, StatsResponse, TimeseriesResponse } from './types.ts';

const FIRST_EVENT_EVERY_MS = 2_000;

const COMPARE_NAMES: Record<Compare, string> = { previous_period: 'previous period', year: 'a year before' };

/*
 * The dashboard's steps over its one state (Dashboard, made by
 * startDashboard): the URL says what to show; it is fetched and drawn; a
 * click changes the URL. Background refreshes redraw only what changed.
 */

/** What the dashboard holds: where it runs, the view and what was last fetched for it, and its parts. */
export interface Dashboard {
  readonly win: Window & typeof globalThis;
  readonly doc: Document;
  /** At /share/TOKEN: one site, read-only, the token as the credential. */
  readonly share: ShareMode | null;
  readonly keys: KeyStore;
  readonly api: Api;
  readView(): DashboardState;
  state: DashboardState;
  sites: SiteInfo[];
  range: DayRange | null;
  stats: StatsResponse | null;
  /** Raised by each render: an answer for an older one is dropped. */
  generation: number;
  refreshing: boolean;
  readonly hasData: Map<string, boolean>;
  readonly dashboard: HTMLElement;
  readonly noSite: HTMLElement;
  readonly toolbar: HTMLElement;
  readonly chartTitle: HTMLElement;
  readonly legend: HTMLElement;
  readonly forgetKey: HTMLButtonElement;
  readonly useKey: HTMLButtonElement;
  readonly forecastToggle: HTMLInputElement;
  readonly notice: ReturnType<typeof createNotice>;
  readonly dialog: ReturnType<typeof createKeyDialog>;
  readonly controls: ReturnType<typeof createControls>;
  readonly filterBar: ReturnType<typeof createFilterBar>;
  readonly kpis: ReturnType<typeof createKpiCards>;
  readonly chart: ReturnType<typeof createChart>;
  readonly realtime: ReturnType<typeof createRealtime>;
  readonly empty: ReturnType<typeof createEmptyState>;
  readonly panels: ReturnType<typeof createPanel>[];
  readonly linksPanel: ReturnType<typeof createLinksPanel>;
  readonly insights: ReturnType<typeof createInsightsCard>;
  readonly heatmap: ReturnType<typeof createHeatmapCard>;
  readonly funnelView: ReturnType<typeof createFunnelView>;
  readonly journeysView: ReturnType<typeof createJourneysView>;
}

export function navigate(d: Dashboard, patch: Partial<DashboardState>): void {
  go(d, updateState(d.state, patch));
}

export function go(d: Dashboard, next: DashboardState): void {
  const spanChanged =
    next.site !== d.state.site ||
    next.period !== d.state.period ||
    next.date !== d.state.date ||
    next.from !== d.state.from ||
    next.to !== d.state.to;
  const siteChanged = next.site !== d.state.site;
  d.state = next;
  if (spanChanged) d.range = null;
  d.win.history.pushState(null, '', viewAddress(d.share, writeState(d.state)));
  void render(d, false);
  if (siteChanged) {
    d.realtime.clear();
    void pollRealtime(d);
  }
}

function timeZone(d: Dashboard): string {
  return d.sites.find((s) => s.id === d.state.site)?.timezone ?? d.stats?.range?.timezone ?? 'UTC';
}

function today(d: Dashboard): string {
  return todayIn(timeZone(d));
}

export function compareName(d: Dashboard): string {
  return d.state.compare ? COMPARE_NAMES[d.state.compare] : '';
}

/** Learns the sites this visitor may read, picks one, and draws. */
export async function start(d: Dashboard): Promise<void> {
  d.forgetKey.hidden = d.keys.get() === null;
  d.useKey.hidden = !d.forgetKey.hidden;
  try {
    const answer = await d.api.json<SitesResponse>('/sites');
    d.sites = answer.sites;
    showAnySiteNote(answer.any_site === true, d.doc);
  } catch (error) {
    d.sites = [];
    // A collector without /sites, or one that wants a key first: the URL's site still works.
    if (!(error instanceof ApiError && error.status === 404)) handleError(d, error);
  }
  if (!d.state.site && d.sites[0]) {
    d.state = updateState(d.state, { site: d.sites[0].id });
    d.win.history.replaceState(null, '', viewAddress(d.share, writeState(d.state)));
  }
  if (d.state.site && leavesPeriodOpen(d.win.location.search)) await chooseFirstPeriod(d, d.state.site);
  await render(d, false);
  void pollRealtime(d);
}

/** A view of the data the site has, for an address that names no period (see first-view.ts). */
async function chooseFirstPeriod(d: Dashboard, site: string): Promise<void> {
  let first: string | undefined;
  try {
    first = (await d.api.json<StatsResponse>('/stats', new URLSearchParams({ site_id: site, period: 'all' }))).range?.from;
  } catch {
    return; // the view's own request says what is wrong
  }
  const period = firstPeriod(first, today(d));
  if (period === d.state.period) return;
  d.state = updateState(d.state, { period });
  d.win.history.replaceState(null, '', viewAddress(d.share, writeState(d.state)));
}

export async function render(d: Dashboard, background: boolean): Promise<void> {
  const gen = ++d.generation;
  const view = d.state;
  d.controls.update({ state: view, sites: d.sites, range: d.range, today: today(d) });
  d.filterBar.update(view.filters);
  d.doc.title = view.site ? `${view.site} · Footfall` : 'Footfall';
  d.noSite.hidden = view.site !== null;
  if (!view.site) {
    d.dashboard.hidden = true;
    d.toolbar.hidden = true;
    d.empty.hide();
    return;
  }
  if (!(await siteHasData(d, view.site, gen))) return;
  if (gen !== d.generation) return;

  d.empty.hide();
  d.toolbar.hidden = false;
  d.dashboard.hidden = false;
  if (!background) d.dashboard.classList.add('is-loading');
  const interval = chartInterval(view, d.range ?? expectedRange(view, today(d)));
  showInterval(d.doc, interval);
  const series = apiParams(view);
  series.set('interval', interval);
  const [summary, timeseries] = await Promise.allSettled([
    d.api.json<StatsResponse>('/stats', apiParams(view)),
    d.api.json<TimeseriesResponse>('/stats/timeseries', series),
  ]);
  if (gen !== d.generation) return;

  if (summary.status === 'fulfilled') {
    d.stats = summary.value;
    if (d.stats.range) d.range = { from: d.stats.range.from, to: d.stats.range.to };
    d.kpis.update(d.stats, view.compare ? compareName(d) : null, view.metric);
    d.controls.update({ state: view, sites: d.sites, range: d.range, today: today(d) });
  } else {
    handleError(d, summary.reason);
  }
  // Revenue is drawn in one currency, the key number's first; the forecast is asked for in it.
  const revenue = view.metric === 'revenue' && summary.status === 'fulfilled' ? summary.value.metrics.revenue : undefined;
  const currency = chartCurrency(revenue);
  d.forecastToggle.closest('label')!.hidden = forecastMetric(view.metric) === null;
  const [findings, forecast] = await Promise.all([d.insights.load(view), loadForecast(d, view, interval, currency)]);
  if (gen !== d.generation) return;
  if (timeseries.status === 'fulfilled') {
    // A period without revenue draws its zeros in the currency the forecast chose.
    const drawn = view.metric === 'revenue' ? (currency ?? forecast?.currency ?? null) : null;
    const chart = chartModel(timeseries.value, view.metric, nowBucket(Date.now(), timeZone(d)), drawn);
    const model = withOverlay(chart, forecastRows(forecast, chart), findings);
    setText(d.chartTitle, view.metric ? chart.series[0]!.label : 'Visitors and page views');
    renderLegend(
      d.legend,
      model.series.map((s) => s.label),
      view.compare !== null && timeseries.value.comparison ? compareName(d) : null,
    );
    d.chart.update(model);
    showChartNote(
      d.doc,
      chartNoteText({
        revenue,
        currency: chart.currency,
        interval,
        forecastReason: forecast?.results.length ? undefined : forecast?.reason,
      }),
    );
  } else {
    handleError(d, timeseries.reason);
  }
  showImportedNote(
    d.doc,
    summary.status === 'fulfilled' ? summary.value.imported : undefined,
    timeseries.status === 'fulfilled' ? timeseries.value.imported : undefined,
  );
  if (summary.status === 'fulfilled' && timeseries.status === 'fulfilled') d.notice.clear();
  d.dashboard.classList.remove('is-loading');
  await Promise.all([
    ...d.panels.map((p) => p.load(view, background)),
    ...(d.share ? [] : [d.linksPanel.load(view, background)]),
    d.heatmap.load(view),
    d.funnelView.load(view),
    d.journeysView.load(view),
  ]);
}

/** The forecast after the chart's days (revenue in `currency` when given), when asked for and the view reaches today; null otherwise. */
async function loadForecast(
  d: Dashboard,
  view: DashboardState,
  interval: string,
  currency: string | null,
): Promise<ForecastResponse | null> {
  const metric = forecastMetric(view.metric);
  if (!d.forecastToggle.checked || interval !== 'day' || view.date !== null || view.period === 'custom' || view.period === 'all')
    return null;
  if (metric === null) return null;
  const params = withoutCompare(apiParams(view));
  for (const name of ['period', 'date', 'from', 'to']) params.delete(name);
  params.set('metric', metric);
  params.set('days', '30');
  if (metric === 'revenue' && currency) params.set('currency', currency);
  try {
    return await d.api.json<ForecastResponse>('/stats/forecast', params);
  } catch (error) {
    handleError(d, error);
    return null;
  }
}

/** True once a site has sent anything; until then the snippet, and a wait for the first event. */
async function siteHasData(d: Dashboard, site: string, gen: number): Promise<boolean> {
  if (d.hasData.get(site)) return true;
  let found: boolean;
  try {
    const all = await d.api.json<StatsResponse>('/stats', new URLSearchParams({ site_id: site }));
    found = all.unique_users > 0 || all.total_views > 0;
  } catch (error) {
    handleError(d, error);
    return false;
  }
  if (gen !== d.generation) return false;
  if (found) {
    d.hasData.set(site, true);
    return true;
  }
  d.dashboard.hidden = true;
  d.toolbar.hidden = true;
  if (!d.empty.visible) {
    d.empty.waitFor(site);
    void waitForFirstEvent(d, site);
  }
  return false;
}

async function waitForFirstEvent(d: Dashboard, site: string): Promise<void> {
  while (d.empty.visible && d.state.site === site) {
    await new Promise((resolve) => d.win.setTimeout(resolve, FIRST_EVENT_EVERY_MS));
    try {
      const all = await d.api.json<StatsResponse>('/stats', new URLSearchParams({ site_id: site }));
      if (all.unique_users > 0 || all.total_views > 0) {
        if (d.state.site === site) d.empty.arrived();
        return;
      }
    } catch {
      // Keep waiting: the collector may be restarting.
    }
  }
}

export async function pollRealtime(d: Dashboard): Promise<void> {
  const site = d.state.site;
  if (!site || d.doc.visibilityState === 'hidden' || d.dialog.open) return;
  try {
    const data = await d.api.json<RealtimeResponse>('/stats/realtime', new URLSearchParams({ site_id: site }));
    if (d.state.site === site) d.realtime.update(data);
  } catch {
    // The main view reports errors; a missed beat of the live count is not news.
    if (d.state.site === site) d.realtime.clear();
  }
}

export async function refresh(d: Dashboard): Promise<void> {
  if (d.refreshing || d.doc.visibilityState === 'hidden' || d.dialog.open || !d.state.site || !d.hasData.get(d.state.site)) return;
  d.refreshing = true;
  try {
    await render(d, true);
  } finally {
    d.refreshing = false;
  }
}

export async function exportTimeseries(d: Dashboard): Promise<void> {
  if (!d.state.site) return;
  const params = apiParams(d.state);
  params.set('interval', chartInterval(d.state, d.range ?? expectedRange(d.state, today(d))));
  params.set('format', 'csv');
  try {
    downloadText(csvFilename(d.state.site, 'timeseries', d.range), await d.api.text('/stats/timeseries', params));
  } catch (error) {
    handleError(d, error);
  }
}

export function handleError(d: Dashboard, error: unknown): void {
  if (!(error instanceof ApiError)) {
    d.notice.show(`Something went wrong: ${String(error)}`);
    return;
  }
  if (error.status === 401) {
    if (d.dialog.open) return;
    const reason = d.share
      ? d.keys.get() === d.share.token
        ? 'This shared dashboard needs its password.'
        : 'That password was not accepted, or the link was revoked.'
      : d.keys.get()
        ? 'That key was not accepted. Enter another.'
        : 'This collector keeps its numbers behind an API key.';
    void d.dialog.ask(reason).then((key) => {
      if (key) {
        d.keys.set(key);
        d.notice.clear();
        void start(d);
      } else {
        d.notice.show('The numbers need an API key.', 'Enter a key', () => handleError(d, error));
      }
    });
    return;
  }
  if (error.status === 403) {
    d.notice.show(`The API key in use cannot read ${d.state.site ?? 'this site'}.`, 'Use another key', () => {
      d.keys.set(null);
      handleError(d, new ApiError(401, error.message));
    });
    return;
  }
  d.notice.show(error.status === 0 ? 'The collector cannot be reached; trying again shortly.' : error.message);
}

/** The chart's legend: a swatch a series, and one for the compared period when shown. */
function renderLegend(legend: HTMLElement, labels: readonly string[], compared: string | null): void {
  const signature = JSON.stringify([labels, compared ?? false]);
  if (legend.dataset.shown === signature) return;
  legend.dataset.shown = signature;
  legend.replaceChildren(
    ...labels.map((label, i) => h('li', { class: `series-${i + 1}` }, h('span', { class: 'swatch' }), label)),
    ...(compared !== null ? [h('li', { class: 'is-compare' }, h('span', { class: 'swatch' }), compared)] : []),
  );
}
