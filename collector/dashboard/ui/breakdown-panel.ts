import type { Api } from './api.ts';
import { h, setText } from './dom.ts';
import { csvFilename, downloadText } from './download.ts';
import type { Filter } from './filters.ts';
import { filterValue, valueBadge, valueLabel } from './labels.ts';
import { type Column, type PanelDef, type PanelTab, tabDimension } from './panels.ts';
import { apiParams, type DashboardState } from './state.ts';
import type { BreakdownResponse, BreakdownRow, PropertiesResponse } from './types.ts';

/** One card of breakdowns: tabs, rows that filter the dashboard when chosen, more rows, CSV. */

export interface PanelDeps {
  readonly api: Api;
  readonly onFilter: (filter: Filter) => void;
  readonly onError: (error: unknown) => void;
  /** All visitors of the period, for share columns. */
  readonly totalVisitors: () => number;
  /** The range shown, for the CSV's file name. */
  readonly range: () => { from: string; to: string } | null;
  /** Where the chosen tabs are remembered across visits. */
  readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export interface Panel {
  readonly element: HTMLElement;
  load(state: DashboardState, background: boolean): Promise<void>;
}

const SHORT = 9;
const LONG = 100;
/** Columns a phone has room for; the others are left out there (the CSV has them all). */
const NARROW_COLUMNS = 2;

/** Whether a phone shows the column: the first ones, and those that say so. */
const onPhone = (column: Column, index: number) => index < NARROW_COLUMNS || column.onPhone === true;

export function createPanel(def: PanelDef, deps: PanelDeps): Panel {
  const remembered = readMemory(deps.storage, def.id);
  let tab: PanelTab = def.tabs.find((t) => t.id === remembered.tab) ?? def.tabs[0]!;
  const choices: Record<string, string | null> = { ...remembered.choices };
  let expanded = false;
  let state: DashboardState | null = null;
  let generation = 0;
  /** The property keys of the period shown, most used first (the Properties tab). */
  let propertyKeys: string[] = [];
  let shown = '';

  const titleId = `panel-${def.id}-title`;
  const { tabs, tabButtons } = tabBar(def, titleId, () => tab, chooseTab);

  const { element, body, options, head, rows, message, more } = panelLayout(def, titleId, tabs, {
    onMore: () => toggleMore(),
    onCsv: () => void exportCsv(),
  });

  function chooseTab(next: PanelTab): void {
    if (next === tab) return;
    tab = next;
    expanded = false;
    remember();
    if (state) void load(state, false);
  }

  function toggleMore(): void {
    expanded = !expanded;
    if (state) void load(state, false);
  }

  function remember(): void {
    try {
      deps.storage?.setItem(`footfall.panel.${def.id}`, JSON.stringify({ tab: tab.id, choices }));
    } catch {
      // Not remembered: the default tab next time.
    }
  }

  function renderChrome(): void {
    def.tabs.forEach((t, i) => {
      tabButtons[i]!.setAttribute('aria-selected', String(t === tab));
      tabButtons[i]!.tabIndex = t === tab ? 0 : -1;
    });
    body.setAttribute('aria-labelledby', `tab-${def.id}-${tab.id}`);
    options.replaceChildren(...optionControls());
    options.hidden = options.childElementCount === 0;
    setText(more, expanded ? 'Show fewer' : 'Show more');
  }

  /** The property shown: the one chosen, when the period's events carry it, else the most used. */
  function propertyChoice(): string | null {
    const chosen = choices.property ?? null;
    return chosen !== null && propertyKeys.includes(chosen) ? chosen : (propertyKeys[0] ?? null);
  }

  function chosenDimension(): string | null {
    return tabDimension(tab, tab.property ? propertyChoice() : (choices[tab.id] ?? null));
  }

  function optionControls(): HTMLElement[] {
    const choose = (key: string) => (value: string) => {
      choices[key] = value;
      remember();
      if (state) void load(state, false);
    };
    if (tab.property) {
      if (propertyKeys.length === 0) return [];
      const keys = propertyKeys.map((key) => ({ value: key, label: key }));
      return [choiceSelect({ name: 'property', 'aria-label': 'Property' }, keys, propertyChoice(), choose('property'))];
    }
    if (tab.dims.length < 2) return [];
    const dims = tab.dims.map((d) => ({ value: d.dim, label: d.label }));
    return [choiceSelect({ 'aria-label': `${tab.label} field` }, dims, tabDimension(tab, choices[tab.id] ?? null), choose(tab.id))];
  }

  async function load(next: DashboardState, background: boolean): Promise<void> {
    state = next;
    const gen = ++generation;
    renderChrome();
    if (!background) body.setAttribute('aria-busy', 'true');
    const params = apiParams(next, { compare: false });
    let dim: string | null = null;
    try {
      if (tab.property) {
        // The keys the period's events carry, to choose from.
        const keys = await deps.api.json<PropertiesResponse>('/stats/properties', new URLSearchParams(params));
        if (gen !== generation) return;
        propertyKeys = keys.results.map((r) => r.key);
        renderChrome();
      }
      dim = chosenDimension();
      if (!dim) {
        show([], null, 'No custom properties in this period: events sent with props show theirs here.');
        return;
      }
      params.set('by', dim);
      params.set('limit', String(expanded ? LONG : SHORT));
      const res = await deps.api.json<BreakdownResponse>('/stats/breakdown', params);
      if (gen !== generation) return;
      show(res.results, dim, res.results.length === 0 ? 'Nothing here for this period.' : null);
      more.hidden = !expanded && res.results.length < SHORT;
    } catch (error) {
      if (gen !== generation) return;
      if (!background) show([], dim, 'These numbers could not be loaded.');
      deps.onError(error);
    } finally {
      if (gen === generation) body.setAttribute('aria-busy', 'false');
    }
  }

  function show(results: readonly BreakdownRow[], dim: string | null, note: string | null): void {
    const total = deps.totalVisitors();
    const columns = tab.columns.filter((c) => !c.optional || results.some((r) => c.value(r, total) !== '—'));
    // A refresh that brings the same rows leaves the DOM alone: no flicker, focus kept.
    const signature = JSON.stringify([dim, expanded, results, columns.map((c) => c.label), total]);
    message.hidden = note === null;
    setText(message, note ?? '');
    if (signature === shown) return;
    shown = signature;
    body.style.setProperty('--columns', String(columns.length));
    body.style.setProperty('--narrow-columns', String(columns.filter(onPhone).length));
    head.replaceChildren(
      h(
        'span',
        { class: 'rows-head-value' },
        tab.property ? `Value of ${propertyChoice() ?? ''}` : (tab.dims.find((d) => d.dim === dim)?.label ?? tab.valueHeading),
      ),
      ...columns.map((c, i) => h('span', { class: onPhone(c, i) ? 'num' : 'num extra', title: c.title }, c.label)),
    );
    head.hidden = results.length === 0;
    const max = Math.max(1, ...results.map((r) => r.visitors));
    rows.replaceChildren(...results.map((r) => rowItem(r, { dim: dim ?? '', columns, max, total }, deps.onFilter)));
  }

  async function exportCsv(): Promise<void> {
    if (!state?.site) return;
    const dim = chosenDimension();
    if (!dim) return;
    const params = apiParams(state, { compare: false });
    params.set('by', dim);
    params.set('limit', '1000');
    params.set('format', 'csv');
    try {
      downloadText(csvFilename(state.site, dim, deps.range()), await deps.api.text('/stats/breakdown', params));
    } catch (error) {
      deps.onError(error);
    }
  }

  return { element, load };
}

/** A row: its bar, its value, its numbers; choosing it filters the dashboard by its value. */
function rowItem(
  row: BreakdownRow,
  { dim, columns, max, total }: { dim: string; columns: readonly Column[]; max: number; total: number },
  onFilter: PanelDeps['onFilter'],
): HTMLElement {
  const bar = h('span', { class: 'bar', 'aria-hidden': 'true' });
  bar.style.width = `${Math.max(0.5, (row.visitors / max) * 100)}%`;
  const badge = valueBadge(dim, row);
  const label = h(
    'span',
    { class: 'row-label' },
    badge ? h('span', { class: 'badge' }, badge) : null,
    // A URL is wrapped on a phone rather than cut; the title holds every value whole.
    h('span', { class: dim === 'link' ? 'row-text row-url' : 'row-text', title: row.value }, valueLabel(dim, row.value)),
  );
  const numbers = columns.map((c, i) => h('span', { class: onPhone(c, i) ? 'num' : 'num extra' }, c.value(row, total)));
  const value = filterValue(row.value);
  const content = h(
    'button',
    {
      type: 'button',
      class: 'row',
      title: `Filter by ${valueLabel(dim, row.value)}`,
      'data-value': value,
      onclick: () => onFilter({ dim, op: '==', value }),
    },
    bar,
    label,
    ...numbers,
  );
  return h('li', {}, content);
}

/** The card: its title and tabs, the options, head, rows and message of the tab shown, and its footer's buttons. */
function panelLayout(def: PanelDef, titleId: string, tabs: HTMLElement, actions: { onMore: () => void; onCsv: () => void }) {
  const options = h('div', { class: 'panel-options' });
  const head = h('div', { class: 'rows-head' });
  const rows = h('ol', { class: 'rows' });
  const message = h('p', { class: 'panel-message', hidden: true });
  const more = h('button', { type: 'button', class: 'link-button', hidden: true, onclick: actions.onMore }, 'Show more');
  const csv = h('button', { type: 'button', class: 'link-button', onclick: actions.onCsv }, 'Export CSV');
  const body = h(
    'div',
    { class: 'panel-body', role: 'tabpanel', id: `tabpanel-${def.id}`, 'aria-busy': 'false' },
    options,
    head,
    rows,
    message,
  );
  const element = h(
    'section',
    { class: 'card panel', 'data-panel': def.id, 'aria-labelledby': titleId },
    h('header', { class: 'panel-header' }, h('h2', { id: titleId }, def.title), tabs),
    body,
    h('footer', { class: 'panel-footer' }, more, csv),
  );
  return { element, body, options, head, rows, message, more };
}

/** The tabs, chosen by click or by the arrow keys. */
function tabBar(def: PanelDef, titleId: string, current: () => PanelTab, choose: (tab: PanelTab) => void) {
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-labelledby': titleId });
  const tabButtons = def.tabs.map((t) => {
    const button = h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `tab-${def.id}-${t.id}`,
        'aria-controls': `tabpanel-${def.id}`,
        class: 'tab',
        onclick: () => choose(t),
      },
      t.label,
    );
    tabs.append(button);
    return button;
  });
  tabs.addEventListener('keydown', (event) => {
    const i = def.tabs.indexOf(current());
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = def.tabs[(i + step + def.tabs.length) % def.tabs.length]!;
    choose(next);
    tabButtons[def.tabs.indexOf(next)]?.focus();
  });
  return { tabs, tabButtons };
}

/** A select of the panel's options (a field of the tab, a property), calling `onChoose` with the value chosen. */
function choiceSelect(
  attributes: Record<string, string>,
  choices: readonly { value: string; label: string }[],
  current: string | null,
  onChoose: (value: string) => void,
): HTMLSelectElement {
  const select = h('select', { ...attributes, onchange: () => onChoose(select.value) });
  for (const c of choices) select.append(h('option', { value: c.value, selected: c.value === current }, c.label));
  return select;
}

function readMemory(storage: PanelDeps['storage'], id: string): { tab?: string; choices: Record<string, string | null> } {
  try {
    const parsed = JSON.parse(storage?.getItem(`footfall.panel.${id}`) ?? '{}') as { tab?: unknown; choices?: unknown };
    const choices = parsed.choices && typeof parsed.choices === 'object' ? (parsed.choices as Record<string, string | null>) : {};
    return { tab: typeof parsed.tab === 'string' ? parsed.tab : undefined, choices };
  } catch {
    return { choices: {} };
  }
}
