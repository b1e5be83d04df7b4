import { createApi, sessionKeyStore } from './api.ts';
import { createPanel } from './breakdown-panel.ts';
import { createChart } from './chart.ts';
import { createControls } from './controls.ts';
import {
  compareName,
  type Dashboard,
  exportTimeseries,
  go,
  handleError,
  navigate,
  pollRealtime,
  refresh,
  render,
  start,
} from './dashboard-view.ts';
import { byId } from './dom.ts';
import { createEmptyState } from './empty-state.ts';
import { createFilterBar } from './filter-bar.ts';
import { createFilterForm } from './filter-form.ts';
import { withFilter, withoutFilter } from './filters.ts';
import { createFunnelView } from './funnel-view.ts';
import { createHeatmapCard } from './heatmap-card.ts';
import { createInsightsCard } from './insights-card.ts';
import { createJourneysView } from './journeys-view.ts';
import { createKeyDialog } from './key-dialog.ts';
import { createKpiCards } from './kpis.ts';
import { createLinksPanel } from './links-panel.ts';
import { createNotice } from './notice.ts';
import { PANELS } from './panels.ts';
import { createRealtime } from './realtime.ts';
import { createSettingsView } from './settings-view.ts';
import { applyShareMode, readShareMode, shareKeyStore } from './share-mode.ts';
import { readState, updateState } from './state.ts';

/** How often the count of visitors now, and then everything else, is asked for again. */
export const REALTIME_EVERY_MS = 5_000;
export const REFRESH_EVERY_MS = 10_000;

/** Starts the dashboard on the page: its parts made, its controls wired, the first view drawn (dashboard-view.ts). */
export function startDashboard(win: Window & typeof globalThis): void {
  const d = openDashboard(win);
  mountParts(d);
  wireControls(d);
  win.setInterval(() => void pollRealtime(d), REALTIME_EVERY_MS);
  win.setInterval(() => void refresh(d), REFRESH_EVERY_MS);
  void start(d);
}

/** The dashboard's state and parts; each part calls back into the steps with it. */
function openDashboard(win: Window & typeof globalThis): Dashboard {
  const doc = win.document;
  const share = readShareMode(doc);
  const keys = share ? shareKeyStore(share) : sessionKeyStore(storage(win, 'sessionStorage'));
  const api = createApi(win.fetch.bind(win), keys);
  const readView = () => {
    const read = readState(win.location.search);
    return share ? updateState(read, { site: share.site }) : read;
  };
  const onError = (error: unknown) => handleError(d, error);
  const d: Dashboard = {
    win,
    doc,
    share,
    keys,
    api,
    readView,
    state: readView(),
    sites: [],
    range: null,
    stats: null,
    generation: 0,
    refreshing: false,
    hasData: new Map(),
    dashboard: byId('dashboard', doc),
    noSite: byId('no-site', doc),
    toolbar: byId('toolbar', doc),
    chartTitle: byId('chart-title', doc),
    legend: byId('chart-legend', doc),
    forgetKey: byId<HTMLButtonElement>('forget-key', doc),
    useKey: byId<HTMLButtonElement>('use-key', doc),
    forecastToggle: byId<HTMLInputElement>('chart-forecast', doc),
    notice: createNotice(doc),
    dialog: createKeyDialog(doc),
    controls: createControls(doc, { navigate: (patch) => navigate(d, patch), replace: (next) => go(d, next) }),
    filterBar: createFilterBar(byId('filters', doc), (i) => navigate(d, { filters: i === 'all' ? [] : withoutFilter(d.state.filters, i) })),
    kpis: createKpiCards(byId('kpis', doc), (metric) => navigate(d, { metric })),
    chart: createChart(byId('chart', doc), () => compareName(d)),
    realtime: createRealtime(doc),
    empty: createEmptyState(doc, () => {
      if (d.state.site) d.hasData.set(d.state.site, true);
      void render(d, false);
    }),
    panels: PANELS.map((def) =>
      createPanel(def, {
        api,
        onFilter: (filter) => {
          navigate(d, { filters: withFilter(d.state.filters, filter) });
          // The chosen row is redrawn away; focus moves to what it made, and can undo it.
          doc.querySelector<HTMLElement>('#filters .chip:last-child .chip-remove')?.focus();
        },
        onError,
        totalVisitors: () => d.stats?.metrics.visitors ?? 0,
        range: () => d.range,
        storage: storage(win, 'localStorage'),
      }),
    ),
    linksPanel: createLinksPanel({ api, onError }),
    insights: createInsightsCard({
      api,
      onError,
      onOpen: (view) => navigate(d, { period: 'custom', from: view.from, to: view.to, filters: view.filters }),
    }),
    heatmap: createHeatmapCard({ api, onError }),
    funnelView: createFunnelView({ api, onError, choose: (funnel) => navigate(d, { funnel }) }),
    journeysView: createJourneysView({ api, onError, choose: (journey) => navigate(d, { journey }) }),
  };
  return d;
}

/** The parts into the page; a shared dashboard shows the site's numbers only: no tracked links, no settings. */
function mountParts(d: Dashboard): void {
  const { doc, share } = d;
  createFilterForm(doc, (filter) => navigate(d, { filters: withFilter(d.state.filters, filter) }));
  byId('panels', doc).append(
    d.insights.element,
    ...d.panels.map((p) => p.element),
    d.heatmap.element,
    ...(share ? [] : [d.linksPanel.element]),
    d.funnelView.element,
    d.journeysView.element,
  );
  if (share) applyShareMode(doc, share);
  else
    createSettingsView(doc, { api: d.api, keys: d.keys, onError: (error) => handleError(d, error), open: (site) => navigate(d, { site }) });
}

/** The page's own controls and the browser's events. */
function wireControls(d: Dashboard): void {
  const { win, doc } = d;
  d.forecastToggle.checked = storage(win, 'localStorage')?.getItem('footfall.forecast') === '1';
  d.forecastToggle.addEventListener('change', () => {
    storage(win, 'localStorage')?.setItem('footfall.forecast', d.forecastToggle.checked ? '1' : '0');
    void render(d, true);
  });
  d.forgetKey.addEventListener('click', () => {
    d.keys.set(null);
    void start(d);
  });
  // Public sites open without a key; a key shows the others too.
  d.useKey.addEventListener('click', () => {
    void d.dialog.ask('A key shows every site it may read, public or not.').then((key) => {
      if (!key) return;
      d.keys.set(key);
      void start(d);
    });
  });
  byId('chart-csv', doc).addEventListener('click', () => void exportTimeseries(d));
  byId<HTMLFormElement>('no-site-form', doc).addEventListener('submit', (event) => {
    event.preventDefault();
    const site = byId<HTMLInputElement>('no-site-input', doc).value.trim();
    if (site) navigate(d, { site });
  });
  win.addEventListener('popstate', () => {
    d.state = d.readView();
    d.range = null;
    void render(d, false);
  });
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'visible') {
      void pollRealtime(d);
      void refresh(d);
    }
  });
}

function storage(win: Window, name: 'sessionStorage' | 'localStorage'): Storage | null {
  try {
    return win[name];
  } catch {
    return null;
  }
}
