import uPlot from 'uplot';
import type { ChartModel } from './chart-model.ts';
import { h } from './dom.ts';
import { forecastAt, type ModelWithOverlay, overlayData, overlayOptions } from './forecast-layer.ts';
import { formatBucket, formatBucketLong } from './format.ts';

/**
 * The main chart, drawn by uPlot on a canvas. x is the bucket's position, so
 * that the comparison period lies on the same axis as the current one; the
 * axis and the tooltip turn positions back into dates.
 */
export interface Chart {
  update(model: ModelWithOverlay): void;
}

const HEIGHT = 260;
// Counts have no fractions: a y axis of visitors never reads 0.5.
const INTEGER_STEPS = [
  1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 2500, 5e3, 1e4, 2e4, 25e3, 5e4, 1e5, 2e5, 25e4, 5e5, 1e6, 2e6, 5e6, 1e7, 1e8, 1e9,
];

export function createChart(container: HTMLElement, compareName: () => string): Chart {
  const plotHost = h('div', { class: 'chart-plot' });
  const tooltip = h('div', { class: 'chart-tooltip', role: 'status', 'aria-live': 'off', hidden: true });
  const empty = h('p', { class: 'chart-empty', hidden: true }, 'Nothing to draw for this period yet.');
  // A canvas says nothing to a screen reader: the same numbers, as a table only it reads.
  const table = h('table', { class: 'visually-hidden chart-table' });
  container.append(plotHost, tooltip, empty, table);

  let plot: uPlot | null = null;
  let shape = '';
  let model: ModelWithOverlay | null = null;

  const resize = new ResizeObserver(() => {
    if (plot && plotHost.clientWidth > 0) plot.setSize({ width: plotHost.clientWidth, height: HEIGHT });
  });
  resize.observe(plotHost);
  // Colours come from the stylesheet; a switch to dark mode redraws with its own.
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    shape = '';
    if (model) update(model);
  });

  function update(next: ModelWithOverlay): void {
    model = next;
    const data: uPlot.AlignedData = [
      next.buckets.map((_, i) => i),
      ...next.series.map((s) => [...s.values]),
      ...next.series.flatMap((s) => (s.compare ? [[...s.compare]] : [])),
      ...overlayData(next),
    ];
    const nextShape = JSON.stringify([next.series.map((s) => s.metric), next.series.some((s) => s.compare), next.interval, !!next.overlay]);
    empty.hidden = next.buckets.length > 0;
    renderTable(next);
    if (plot && nextShape === shape) {
      plot.setData(data);
      return;
    }
    plot?.destroy();
    shape = nextShape;
    plot = new uPlot(options(next), data, plotHost);
  }

  function renderTable(m: ModelWithOverlay): void {
    const before = compareName();
    const head = h('tr', {}, h('th', { scope: 'col' }, 'Date'), ...m.series.map((s) => h('th', { scope: 'col' }, s.label)));
    const ahead = ['Forecast', 'Forecast, 80% low', 'Forecast, 80% high'];
    if (m.overlay) head.append(...ahead.map((label) => h('th', { scope: 'col' }, label)));
    if (m.compareBuckets)
      head.append(
        h('th', { scope: 'col' }, `Date (${before})`),
        ...m.series.map((s) => h('th', { scope: 'col' }, `${s.label} (${before})`)),
      );
    const rows = m.buckets.map((bucket, i) => {
      const cells = [
        h('th', { scope: 'row' }, formatBucketLong(bucket, m.interval)),
        ...m.series.map((s) => h('td', {}, cell(s.values[i], m))),
      ];
      if (m.overlay) {
        const f = forecastAt(m, i);
        // The figures as answered ride along, so that what is drawn can be checked against the API.
        cells.push(
          ...(f ? [f.value, f.lower, f.upper] : [null, null, null]).map((v, k) =>
            h('td', v === null ? {} : { 'data-forecast': ['value', 'lower_80', 'upper_80'][k]!, 'data-value': String(v) }, cell(v, m)),
          ),
        );
      }
      if (m.compareBuckets) {
        const then = m.compareBuckets[i];
        cells.push(
          h('td', {}, then ? formatBucketLong(then, m.interval) : ''),
          ...m.series.map((s) => h('td', {}, cell(s.compare?.[i], m))),
        );
      }
      return h('tr', { 'data-bucket': bucket }, ...cells);
    });
    table.replaceChildren(h('caption', {}, chartCaption(m)), h('thead', {}, head), h('tbody', {}, ...rows));
  }

  function options(m: ModelWithOverlay): uPlot.Options {
    const css = getComputedStyle(container);
    const color = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    const colors = [color('--chart-1', '#4f46e5'), color('--chart-2', '#0ea5e9')];
    const text = color('--muted', '#6b7280');
    const grid = color('--grid', '#e5e7eb');
    const current: uPlot.Series[] = m.series.map((s, i) => ({
      label: s.label,
      stroke: colors[i % colors.length],
      width: 2,
      fill: i === 0 ? (u: uPlot) => gradient(u, colors[0]!) : undefined,
      points: { show: (u: uPlot) => u.data[0].length <= 2, size: 6 },
      spanGaps: false,
    }));
    const previous: uPlot.Series[] = m.series
      .filter((s) => s.compare)
      .map((s, i) => ({
        label: `${s.label} (${compareName()})`,
        stroke: colors[i % colors.length],
        width: 1.5,
        dash: [5, 5],
        alpha: 0.55,
        points: { show: false },
      }));
    return {
      width: Math.max(plotHost.clientWidth, 280),
      height: HEIGHT,
      // Room on the right for half of the last date label.
      padding: [12, 28, 0, 4],
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 8 }, y: false },
      scales: {
        x: { time: false, range: (_u, min, max) => (min === max ? [min - 0.5, max + 0.5] : [min, max]) },
        y: { range: (_u, _min, max) => [0, m.integer ? Math.max(4, Math.ceil(niceCeiling(max))) : niceCeiling(max)] },
      },
      axes: [
        {
          stroke: text,
          grid: { show: false },
          ticks: { show: false },
          size: 30,
          space: 72,
          incrs: [1, 2, 3, 4, 6, 7, 12, 14, 24, 28, 30, 60, 90, 180, 365],
          values: (_u, splits) =>
            splits.map((i) => (Number.isInteger(i) && model?.buckets[i] ? formatBucket(model.buckets[i]!, model.interval) : '')),
        },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { show: false },
          size: 52,
          incrs: m.integer ? INTEGER_STEPS : undefined,
          values: (_u, splits) => splits.map((v) => (model ? model.format(v) : String(v))),
        },
      ],
      series: [{}, ...current, ...previous, ...overlayOptions(m, colors[0]!).series],
      bands: overlayOptions(m, colors[0]!).bands,
      hooks: { setCursor: [showTooltip] },
    };
  }

  function showTooltip(u: uPlot): void {
    const idx = u.cursor.idx;
    const m = model;
    if (idx === null || idx === undefined || !m || !m.buckets[idx]) {
      tooltip.hidden = true;
      return;
    }
    tooltip.replaceChildren(h('div', { class: 'tooltip-title' }, formatBucketLong(m.buckets[idx]!, m.interval)));
    m.series.forEach((s, i) => {
      const value = s.values[idx];
      tooltip.append(
        h(
          'div',
          { class: `tooltip-row series-${i + 1}` },
          h('span', { class: 'swatch' }),
          h('span', {}, s.label),
          h('strong', {}, value === null || value === undefined ? '—' : m.format(value)),
        ),
      );
    });
    const ahead = forecastAt(m, idx);
    if (ahead)
      tooltip.append(
        h(
          'div',
          { class: 'tooltip-row is-forecast' },
          h('span', { class: 'swatch' }),
          h('span', {}, 'Forecast'),
          h('strong', {}, `${m.format(ahead.value)} (80%: ${m.format(ahead.lower)}–${m.format(ahead.upper)})`),
        ),
      );
    const before = m.compareBuckets?.[idx];
    if (before) {
      tooltip.append(h('div', { class: 'tooltip-title tooltip-compare' }, formatBucketLong(before, m.interval)));
      m.series.forEach((s, i) => {
        const value = s.compare?.[idx];
        tooltip.append(
          h(
            'div',
            { class: `tooltip-row series-${i + 1} is-compare` },
            h('span', { class: 'swatch' }),
            h('span', {}, s.label),
            h('strong', {}, value === null || value === undefined ? '—' : m.format(value)),
          ),
        );
      });
    }
    tooltip.hidden = false;
    const left = u.valToPos(idx, 'x') + u.over.offsetLeft;
    const room = container.clientWidth - tooltip.offsetWidth - 8;
    tooltip.style.left = `${Math.max(4, Math.min(left + 12 > room ? left - tooltip.offsetWidth - 12 : left + 12, room))}px`;
  }

  return { update };
}

function cell(value: number | null | undefined, m: ChartModel): string {
  return value === null || value === undefined ? '' : m.format(value);
}

function chartCaption(m: ChartModel): string {
  return `${m.series.map((s) => s.label).join(' and ')} by ${m.interval}`;
}

/** A rounded top for the y axis: 7 → 8, 130 → 150, 0 → 4. */
export function niceCeiling(max: number | null): number {
  if (max === null || !Number.isFinite(max) || max <= 0) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (step * magnitude >= max * 1.05) return step * magnitude;
  }
  return 10 * magnitude;
}

function gradient(u: uPlot, color: string): CanvasGradient | string {
  if (!u.bbox) return 'transparent';
  const g = u.ctx.createLinearGradient(0, u.bbox.top, 0, u.bbox.top + u.bbox.height);
  g.addColorStop(0, withAlpha(color, 0.22));
  g.addColorStop(1, withAlpha(color, 0));
  return g;
}

function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`;
}
