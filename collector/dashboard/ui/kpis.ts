import { percentChange } from '../../stats/metrics.ts';
import { h, setText } from './dom.ts';
import { formatChange, formatDecimal, formatDuration, formatMoney, formatNumber, formatPercent } from './format.ts';
import type { ChartMetric } from './state.ts';
import type { Metrics, StatsResponse } from './types.ts';

/** The row of key numbers, each with its change against the comparison period. */

interface KpiDef {
  readonly key: keyof Metrics;
  readonly label: string;
  readonly format: (value: number) => string;
  /** A rise is bad news (bounce rate). */
  readonly lowerIsBetter?: boolean;
  /** A rate: its change is in percentage points. */
  readonly rate?: boolean;
  /** The metric the chart draws when the card is chosen. */
  readonly chart: ChartMetric;
}

export const KPIS: readonly KpiDef[] = [
  { key: 'visitors', label: 'Unique visitors', format: formatNumber, chart: 'visitors' },
  { key: 'visits', label: 'Total visits', format: formatNumber, chart: 'visits' },
  { key: 'pageviews', label: 'Page views', format: formatNumber, chart: 'pageviews' },
  { key: 'views_per_visit', label: 'Views per visit', format: formatDecimal, chart: 'views_per_visit' },
  { key: 'bounce_rate', label: 'Bounce rate', format: formatPercent, lowerIsBetter: true, rate: true, chart: 'bounce_rate' },
  { key: 'visit_duration', label: 'Visit duration', format: formatDuration, chart: 'visit_duration' },
  { key: 'events', label: 'Events', format: formatNumber, chart: 'events' },
  { key: 'revenue', label: 'Revenue', format: formatNumber, chart: 'revenue' },
];

export interface KpiCards {
  update(stats: StatsResponse, compareName: string | null, chartMetric: ChartMetric | null): void;
}

interface Card {
  root: HTMLElement;
  value: HTMLElement;
  change: HTMLElement;
  previous: HTMLElement;
}

export function createKpiCards(container: HTMLElement, onChoose: (metric: ChartMetric | null) => void): KpiCards {
  const cards = new Map<keyof Metrics, Card>();
  let chosen: ChartMetric | null = null;
  for (const kpi of KPIS) {
    const value = h('span', { class: 'kpi-value', 'data-kpi-value': '' }, '—');
    const change = h('span', { class: 'kpi-change', hidden: true });
    const previous = h('span', { class: 'kpi-previous', hidden: true });
    const chart = kpi.chart;
    const root = h('button', {
      type: 'button',
      class: 'kpi',
      'data-metric': kpi.key,
      'aria-pressed': 'false',
      title: `Draw ${kpi.label.toLowerCase()} in the chart`,
      onclick: () => onChoose(chosen === chart ? null : chart),
    });
    root.append(h('span', { class: 'kpi-label' }, kpi.label), value, h('span', { class: 'kpi-foot' }, change, previous));
    container.append(root);
    cards.set(kpi.key, { root, value, change, previous });
  }

  return {
    update(stats, compareName, chartMetric) {
      chosen = chartMetric;
      const comparison = stats.comparison;
      for (const kpi of KPIS) {
        const card = cards.get(kpi.key)!;
        const current = stats.metrics[kpi.key];
        const before = comparison?.metrics[kpi.key];
        if (kpi.key === 'revenue') {
          setText(card.value, formatMoney(current as Record<string, number>));
        } else {
          setText(card.value, kpi.format(current as number));
        }
        card.value.dataset.value = typeof current === 'number' ? String(current) : JSON.stringify(current ?? {});
        const pressed = chartMetric === kpi.chart || (chartMetric === null && (kpi.chart === 'visitors' || kpi.chart === 'pageviews'));
        card.root.setAttribute('aria-pressed', String(pressed));

        card.change.hidden = !comparison;
        card.previous.hidden = !comparison;
        if (!comparison) continue;
        const change = formatChange(changeOf(kpi.key, comparison.change[kpi.key], current, before), kpi.rate ? 'points' : 'percent');
        setText(card.change, change.text);
        const good =
          change.direction === 'flat' || change.direction === 'none'
            ? ''
            : (change.direction === 'up') !== !!kpi.lowerIsBetter
              ? 'good'
              : 'bad';
        card.change.className = `kpi-change ${change.direction} ${good}`.trim();
        const previousText = kpi.key === 'revenue' ? formatMoney(before as Record<string, number>) : kpi.format(before as number);
        setText(card.previous, `${compareName ?? 'before'}: ${previousText}`);
      }
    },
  };
}

/** The API's change, or for revenue (a value per currency) the change of its largest currency. */
function changeOf(key: keyof Metrics, given: unknown, current: unknown, before: unknown): number | null {
  if (typeof given === 'number') return given;
  if (key !== 'revenue') return null;
  const now = (current ?? {}) as Record<string, number>;
  const then = (before ?? {}) as Record<string, number>;
  const currency = Object.keys({ ...then, ...now }).sort((a, b) => (now[b] ?? then[b] ?? 0) - (now[a] ?? then[a] ?? 0))[0];
  if (!currency || !then[currency]) return null;
  return percentChange(now[currency] ?? 0, then[currency]);
}
