import { type Api, ApiError, createApi, type KeyStore, sessionKeyStore } from './api.ts';
import { createPanel } from './breakdown-panel.ts';
import { createChart } from './chart.ts';
import { chartModel, METRIC_LABELS, nowBucket } from './chart-model.ts';
import { createControls, showInterval } from './controls.ts';
import { byId, h, setText } from './dom.ts';
import { csvFilename, downloadText } from './download.ts';
import { createEmptyState } from './empty-state.ts';
import { createFilterBar } from './filter-bar.ts';
import { createFilterForm } from './filter-form.ts';
import { withFilter, withoutFilter } from './filters.ts';
import { firstPeriod, leavesPeriodOpen } from './first-view.ts';
import { type ForecastRow, withOverlay } from './forecast-layer.ts';
import { createHeatmapCard } from './heatmap-card.ts';
import { createInsightsCard, withoutCompare } from './insights-card.ts';
import { createKeyDialog } from './key-dialog.ts';
import { createKpiCards } from './kpis.ts';
import { createFunnelView } from './funnel-view.ts';
import { createJourneysView } from './journeys-view.ts';
import { createLinksPanel } from './links-panel.ts';
import { createNotice } from './notice.ts';
import { PANELS } from './panels.ts';
import { chartInterval, type DayRange, expectedRange, todayIn } from './period.ts';
import { createRealtime } from './realtime.ts';
import { showAnySiteNote } from './site-note.ts';
import { showImportedNote } from './imported-note.ts';
import { createSettingsView } from './settings-view.ts';
import { applyShareMode, readShareMode, shareKeyStore, viewAddress } from './share-mode.ts';
import { apiParams, type Compare, type DashboardState, readState, updateState, writeState } from './state.ts';
import type { RealtimeResponse, SiteInfo, SitesResponse, StatsResponse, TimeseriesResponse } from './types.ts';

/** How often the count of visitors now, and then everything else, is asked for again. */
export const REALTIME_EVERY_MS = 5_000;
export const REFRESH_EVERY_MS = 10_000;
const FIRST_EVENT_EVERY_MS = 2_000;

const COMPARE_NAMES: Record<Compare, string> = { previous_period: 'previous period', year: 'a year before' };

/**
 * The dashboard's one loop: the URL says what to show; it is fetched and
 * drawn; a click changes the URL. Background refreshes redraw only what
 * changed.
 */
export function startDashboard(win: Window & typeof globalThis): void {
  const doc = win.document;
  // At /share/TOKEN: one site, read-only, the token as the credential.
  const share = readShareMode(doc);
  const keys: KeyStore = share ? shareKeyStore(share) : sessionKeyStore(storage(win, 'sessionStorage'));
  const api: Api = createApi(win.fetch.bind(win), keys);
  const readView = () => {
    const read = readState(win.location.search);
    return share ? updateState(read, { site: share.site }) : read;
  };
  let state = readView();
  let sites: SiteInfo[] = [];
  let range: DayRange | null = null;
  let stats: StatsResponse | null = null;
  let generation = 0;
  let refreshing = false;
  const hasData = new Map<string, boolean>();

  const dashboard = byId('dashboard', doc);
  const noSite = byId('no-site', doc);
  const notice = createNotice(doc);
  const forgetKey = byId<HTMLButtonElement>('forget-key', doc);
  const useKey = byId<HTMLButtonElement>('use-key', doc);
  const toolbar = byId('toolbar', doc);
  const chartTitle = byId('chart-title', doc);
  const legend = byId('chart-legend', doc);

  const dialog = createKeyDialog(doc);
  const controls = createControls(doc, { navigate, replace: go });
  const filterBar = createFilterBar(byId('filters', doc), (i) => navigate({ filters: i === 'all' ? [] : withoutFilter(state.filters, i) }));
  createFilterForm(doc, (filter) => navigate({ filters: withFilter(state.filters, filter) }));
  const kpis = createKpiCards(byId('kpis', doc), (metric) => navigate({ metric }));
  const chart = createChart(byId('chart', doc), () => compareName());
  const realtime = createRealtime(doc);
  const empty = createEmptyState(doc, () => {
    if (state.site) hasData.set(state.site, true);
    void render(false);
  });
  const panels = PANELS.map((def) =>
    createPanel(def, {
      api,
      onFilter: (filter) => {
        navigate({ filters: withFilter(state.filters, filter) });
        // The chosen row is redrawn away; focus moves to what it made, and can undo it.
        doc.querySelector<HTMLElement>('#filters .chip:last-child .chip-remove')?.focus();
      },
      onError: handleError,
      totalVisitors: () => stats?.metrics.visitors ?? 0,
      range: () => range,
      storage: storage(win, 'localStorage'),
    }),
  );
  const linksPanel = createLinksPanel({ api, onError: handleError });
  const insights = createInsightsCard({
    api,
    onError: handleError,
    onOpen: (view) => navigate({ period: 'custom', from: view.from, to: view.to, filters: view.filters }),
  });
  const heatmap = createHeatmapCard({ api, onError: handleError });
  const funnelView = createFunnelView({ api, onError: handleError, choose: (funnel) => navigate({ funnel }) });
  const journeysView = createJourneysView({ api, onError: handleError, choose: (journey) => navigate({ journey }) });
  // A shared dashboard shows the site's numbers only: no tracked links, no settings.
  byId('panels', doc).append(
    insights.element,
    ...panels.map((p) => p.element),
    heatmap.element,
    ...(share ? [] : [linksPanel.element]),
    funnelView.element,
    journeysView.element,
  );
  if (share) applyShareMode(doc, share);
  else createSettingsView(doc, { api, keys, onError: handleError, open: (site) => navigate({ site }) });
  const forecastToggle = byId<HTMLInputElement>('chart-forecast', doc);
  forecastToggle.checked = storage(win, 'localStorage')?.getItem('footfall.forecast') === '1';
  forecastToggle.addEventListener('change', () => {
    storage(win, 'localStorage')?.setItem('footfall.forecast', forecastToggle.checked ? '1' : '0');
    void render(true);
  });

  forgetKey.addEventListener('click', () => {
    keys.set(null);
    void start();
  });
  // Public sites open without a key; a key shows the others too.
  useKey.addEventListener('click', () => {
    void dialog.ask('A key shows every site it may read, public or not.').then((key) => {
      if (!key) return;
      keys.set(key);
      void start();
    });
  });
  byId('chart-csv', doc).addEventListener('click', () => void exportTimeseries());
  byId<HTMLFormElement>('no-site-form', doc).addEventListener('submit', (event) => {
    event.preventDefault();
    const site = byId<HTMLInputElement>('no-site-input', doc).value.trim();
    if (site) navigate({ site });
  });
  win.addEventListener('popstate', () => {
    state = readView();
    range = null;
    void render(false);
  });
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'visible') {
      void pollRealtime();
      void refresh();
    }
  });
  win.setInterval(() => void pollRealtime(), REALTIME_EVERY_MS);
  win.setInterval(() => void refresh(), REFRESH_EVERY_MS);

  void start();

  function navigate(patch: Partial<DashboardState>): void {
    go(updateState(state, patch));
  }

  function go(next: DashboardState): void {
    const spanChanged =
      next.site !== state.site ||
      next.period !== state.period ||
      next.date !== state.date ||
      next.from !== state.from ||
      next.to !== state.to;
    const siteChanged = next.site !== state.site;
    state = next;
    if (spanChanged) range = null;
    win.history.pushState(null, '', viewAddress(share, writeState(state)));
    void render(false);
    if (siteChanged) {
      realtime.clear();
      void pollRealtime();
    }
  }

  function timeZone(): string {
    return sites.find((s) => s.id === state.site)?.timezone ?? stats?.range?.timezone ?? 'UTC';
  }

  function today(): string {
    return todayIn(timeZone());
  }

  function compareName(): string {
    return state.compare ? COMPARE_NAMES[state.compare] : '';
  }

  /** Learns the sites this visitor may read, picks one, and draws. */
  async function start(): Promise<void> {
    forgetKey.hidden = keys.get() === null;
    useKey.hidden = !forgetKey.hidden;
    try {
      const answer = await api.json<SitesResponse>('/sites');
      sites = answer.sites;
      showAnySiteNote(answer.any_site === true, doc);
    } catch (error) {
      sites = [];
      // A collector without /sites, or one that wants a key first: the URL's site still works.
      if (!(error instanceof ApiError && error.status === 404)) handleError(error);
    }
    if (!state.site && sites[0]) {
      state = updateState(state, { site: sites[0].id });
      win.history.replaceState(null, '', viewAddress(share, writeState(state)));
    }
    if (state.site && leavesPeriodOpen(win.location.search)) await chooseFirstPeriod(state.site);
    await render(false);
    void pollRealtime();
  }

  /** A view of the data the site has, for an address that names no period (see first-view.ts). */
  async function chooseFirstPeriod(site: string): Promise<void> {
    let first: string | undefined;
    try {
      first = (await api.json<StatsResponse>('/stats', new URLSearchParams({ site_id: site, period: 'all' }))).range?.from;
    } catch {
      return; // the view's own request says what is wrong
    }
    const period = firstPeriod(first, today());
    if (period === state.period) return;
    state = updateState(state, { period });
    win.history.replaceState(null, '', viewAddress(share, writeState(state)));
  }

  async function render(background: boolean): Promise<void> {
    const gen = ++generation;
    const view = state;
    controls.update({ state: view, sites, range, today: today() });
    filterBar.update(view.filters);
    doc.title = view.site ? `${view.site} · Footfall` : 'Footfall';
    noSite.hidden = view.site !== null;
    if (!view.site) {
      dashboard.hidden = true;
      toolbar.hidden = true;
      empty.hide();
      return;
    }
    if (!(await siteHasData(view.site, gen))) return;
    if (gen !== generation) return;

    empty.hide();
    toolbar.hidden = false;
    dashboard.hidden = false;
    if (!background) dashboard.classList.add('is-loading');
    const interval = chartInterval(view, range ?? expectedRange(view, today()));
    showInterval(doc, interval);
    const series = apiParams(view);
    series.set('interval', interval);
    const [summary, timeseries] = await Promise.allSettled([
      api.json<StatsResponse>('/stats', apiParams(view)),
      api.json<TimeseriesResponse>('/stats/timeseries', series),
    ]);
    if (gen !== generation) return;

    if (summary.status === 'fulfilled') {
      stats = summary.value;
      if (stats.range) range = { from: stats.range.from, to: stats.range.to };
      kpis.update(stats, view.compare ? compareName() : null, view.metric);
      controls.update({ state: view, sites, range, today: today() });
    } else {
      handleError(summary.reason);
    }
    const [findings, forecast] = await Promise.all([insights.load(view), loadForecast(view, interval)]);
    if (gen !== generation) return;
    if (timeseries.status === 'fulfilled') {
      const model = withOverlay(chartModel(timeseries.value, view.metric, nowBucket(Date.now(), timeZone())), forecast, findings);
      setText(chartTitle, view.metric ? METRIC_LABELS[view.metric] : 'Visitors and page views');
      renderLegend(
        legend,
        model.series.map((s) => s.label),
        view.compare !== null && timeseries.value.comparison ? compareName() : null,
      );
      chart.update(model);
    } else {
      handleError(timeseries.reason);
    }
    showImportedNote(
      doc,
      summary.status === 'fulfilled' ? summary.value.imported : undefined,
      timeseries.status === 'fulfilled' ? timeseries.value.imported : undefined,
    );
    if (summary.status === 'fulfilled' && timeseries.status === 'fulfilled') notice.clear();
    dashboard.classList.remove('is-loading');
    await Promise.all([
      ...panels.map((p) => p.load(view, background)),
      ...(share ? [] : [linksPanel.load(view, background)]),
      heatmap.load(view),
      funnelView.load(view),
      journeysView.load(view),
    ]);
  }

  /** The forecast after the chart's days, when asked for and the view reaches today; null otherwise. */
  async function loadForecast(view: DashboardState, interval: string): Promise<ForecastRow[] | null> {
    const metric = view.metric ?? 'visitors';
    if (!forecastToggle.checked || interval !== 'day' || view.date !== null || view.period === 'custom' || view.period === 'all')
      return null;
    if (!['visitors', 'pageviews', 'visits', 'events'].includes(metric)) return null;
    const params = withoutCompare(apiParams(view));
    for (const name of ['period', 'date', 'from', 'to']) params.delete(name);
    params.set('metric', metric);
    params.set('days', '30');
    try {
      return (await api.json<{ results: ForecastRow[] }>('/stats/forecast', params)).results;
    } catch (error) {
      handleError(error);
      return null;
    }
  }

  /** True once a site has sent anything; until then the snippet, and a wait for the first event. */
  async function siteHasData(site: string, gen: number): Promise<boolean> {
    if (hasData.get(site)) return true;
    let found: boolean;
    try {
      const all = await api.json<StatsResponse>('/stats', new URLSearchParams({ site_id: site }));
      found = all.unique_users > 0 || all.total_views > 0;
    } catch (error) {
      handleError(error);
      return false;
    }
    if (gen !== generation) return false;
    if (found) {
      hasData.set(site, true);
      return true;
    }
    dashboard.hidden = true;
    toolbar.hidden = true;
    if (!empty.visible) {
      empty.waitFor(site);
      void waitForFirstEvent(site);
    }
    return false;
  }

  async function waitForFirstEvent(site: string): Promise<void> {
    while (empty.visible && state.site === site) {
      await new Promise((resolve) => win.setTimeout(resolve, FIRST_EVENT_EVERY_MS));
      try {
        const all = await api.json<StatsResponse>('/stats', new URLSearchParams({ site_id: site }));
        if (all.unique_users > 0 || all.total_views > 0) {
          if (state.site === site) empty.arrived();
          return;
        }
      } catch {
        // Keep waiting: the collector may be restarting.
      }
    }
  }

  async function pollRealtime(): Promise<void> {
    const site = state.site;
    if (!site || doc.visibilityState === 'hidden' || dialog.open) return;
    try {
      const data = await api.json<RealtimeResponse>('/stats/realtime', new URLSearchParams({ site_id: site }));
      if (state.site === site) realtime.update(data);
    } catch {
      // The main view reports errors; a missed beat of the live count is not news.
      if (state.site === site) realtime.clear();
    }
  }

  async function refresh(): Promise<void> {
    if (refreshing || doc.visibilityState === 'hidden' || dialog.open || !state.site || !hasData.get(state.site)) return;
    refreshing = true;
    try {
      await render(true);
    } finally {
      refreshing = false;
    }
  }

  async function exportTimeseries(): Promise<void> {
    if (!state.site) return;
    const params = apiParams(state);
    params.set('interval', chartInterval(state, range ?? expectedRange(state, today())));
    params.set('format', 'csv');
    try {
      downloadText(csvFilename(state.site, 'timeseries', range), await api.text('/stats/timeseries', params));
    } catch (error) {
      handleError(error);
    }
  }

  function handleError(error: unknown): void {
    if (!(error instanceof ApiError)) {
      notice.show(`Something went wrong: ${String(error)}`);
      return;
    }
    if (error.status === 401) {
      if (dialog.open) return;
      const reason = share
        ? keys.get() === share.token
          ? 'This shared dashboard needs its password.'
          : 'That password was not accepted, or the link was revoked.'
        : keys.get()
          ? 'That key was not accepted. Enter another.'
          : 'This collector keeps its numbers behind an API key.';
      void dialog.ask(reason).then((key) => {
        if (key) {
          keys.set(key);
          notice.clear();
          void start();
        } else {
          notice.show('The numbers need an API key.', 'Enter a key', () => handleError(error));
        }
      });
      return;
    }
    if (error.status === 403) {
      notice.show(`The API key in use cannot read ${state.site ?? 'this site'}.`, 'Use another key', () => {
        keys.set(null);
        handleError(new ApiError(401, error.message));
      });
      return;
    }
    notice.show(error.status === 0 ? 'The collector cannot be reached; trying again shortly.' : error.message);
  }
}

function storage(win: Window, name: 'sessionStorage' | 'localStorage'): Storage | null {
  try {
    return win[name];
  } catch {
    return null;
  }
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
