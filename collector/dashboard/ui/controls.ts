import { byId, h, setText } from './dom.ts';
import { formatDateRange } from './format.ts';
import { type DayRange, expectedRange, intervalsFor, periodOptionLabel, shiftPeriod } from './period.ts';
import { type Compare, type DashboardState, type Interval, PERIODS, type Period } from './state.ts';
import type { SiteInfo } from './types.ts';

/** The pickers above the numbers: site, period (with arrows and a custom range), comparison, chart interval. */

export interface Controls {
  update(view: ControlsView): void;
}

export interface ControlsView {
  readonly state: DashboardState;
  readonly sites: readonly SiteInfo[];
  /** The range the API answered for; null before it has. */
  readonly range: DayRange | null;
  readonly today: string;
}

export interface ControlsActions {
  navigate(patch: Partial<DashboardState>): void;
  replace(state: DashboardState): void;
}

const INTERVAL_LABELS: Record<Interval, string> = { hour: 'Hourly', day: 'Daily', week: 'Weekly', month: 'Monthly' };

export function createControls(doc: Document, actions: ControlsActions): Controls {
  const siteSelect = byId<HTMLSelectElement>('site-select', doc);
  const periodSelect = byId<HTMLSelectElement>('period-select', doc);
  const prev = byId<HTMLButtonElement>('period-prev', doc);
  const next = byId<HTMLButtonElement>('period-next', doc);
  const rangeText = byId('period-range', doc);
  const customForm = byId<HTMLFormElement>('custom-range', doc);
  const customFrom = byId<HTMLInputElement>('custom-from', doc);
  const customTo = byId<HTMLInputElement>('custom-to', doc);
  const compareSelect = byId<HTMLSelectElement>('compare-select', doc);
  const intervalSelect = byId<HTMLSelectElement>('interval-select', doc);
  let view: ControlsView | null = null;

  for (const period of PERIODS) periodSelect.append(h('option', { value: period }, periodOptionLabel(period, false)));

  siteSelect.addEventListener('change', () => actions.navigate({ site: siteSelect.value, filters: [] }));
  periodSelect.addEventListener('change', () => {
    const period = periodSelect.value as Period;
    if (period === 'custom') {
      openCustom();
      return;
    }
    customForm.hidden = true;
    actions.navigate({ period, date: null });
  });
  customForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!customFrom.value || !customTo.value) return;
    const [from, to] = [customFrom.value, customTo.value].sort() as [string, string];
    customForm.hidden = true;
    actions.navigate({ period: 'custom', from, to });
  });
  customForm.addEventListener('reset', () => {
    customForm.hidden = true;
    if (view) periodSelect.value = view.state.period;
  });
  compareSelect.addEventListener('change', () => actions.navigate({ compare: (compareSelect.value || null) as Compare | null }));
  intervalSelect.addEventListener('change', () => actions.navigate({ interval: intervalSelect.value as Interval }));
  for (const [button, direction] of [
    [prev, -1],
    [next, 1],
  ] as const) {
    button.addEventListener('click', () => {
      if (!view) return;
      const range = view.range ?? expectedRange(view.state, view.today);
      const shifted = range && shiftPeriod(view.state, range, direction, view.today);
      if (shifted) actions.replace(shifted);
    });
  }

  function openCustom(): void {
    const range = view && (view.range ?? expectedRange(view.state, view.today));
    customFrom.value = range?.from ?? '';
    customTo.value = range?.to ?? '';
    if (view) {
      customFrom.max = view.today;
      customTo.max = view.today;
    }
    customForm.hidden = false;
    customFrom.focus();
  }

  return {
    update(v) {
      view = v;
      const { state, range, today } = v;

      const ids = v.sites.map((s) => s.id);
      if (state.site && !ids.includes(state.site)) ids.push(state.site);
      const signature = ids.join('\n');
      if (siteSelect.dataset.sites !== signature) {
        siteSelect.replaceChildren(...ids.map((id) => h('option', { value: id }, id)));
        siteSelect.dataset.sites = signature;
      }
      siteSelect.value = state.site ?? '';
      siteSelect.disabled = ids.length === 0;

      const anchored = state.date !== null;
      for (const option of periodSelect.options) setText(option, periodOptionLabel(option.value as Period, anchored));
      if (customForm.hidden) periodSelect.value = state.period;
      const shown = range ?? expectedRange(state, today);
      setText(
        rangeText,
        state.period === 'all'
          ? range
            ? `since ${formatDateRange(range.from, range.from)}`
            : ''
          : shown
            ? formatDateRange(shown.from, shown.to)
            : '',
      );
      const stepRange = shown ?? { from: today, to: today };
      prev.disabled = shiftPeriod(state, stepRange, -1, today) === null;
      next.disabled = shiftPeriod(state, stepRange, 1, today) === null;

      compareSelect.value = state.compare ?? '';
      compareSelect.disabled = state.period === 'all';

      const intervals = intervalsFor(shown, state.period);
      const intervalSignature = intervals.join(',');
      if (intervalSelect.dataset.options !== intervalSignature) {
        intervalSelect.replaceChildren(...intervals.map((i) => h('option', { value: i }, INTERVAL_LABELS[i])));
        intervalSelect.dataset.options = intervalSignature;
      }
      intervalSelect.hidden = intervals.length < 2;
    },
  };
}

/** Sets the interval picker to what the chart draws (the state may ask for none, or for one that does not fit). */
export function showInterval(doc: Document, interval: Interval): void {
  byId<HTMLSelectElement>('interval-select', doc).value = interval;
}
