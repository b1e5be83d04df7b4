import { h } from './dom.ts';
import { describeFilter, type Filter } from './filters.ts';
import { valueLabel } from './labels.ts';

/** The active filters as chips, each removable; the whole set in the URL. */
export interface FilterBar {
  update(filters: readonly Filter[]): void;
}

export function createFilterBar(container: HTMLElement, onRemove: (index: number | 'all') => void): FilterBar {
  let shown = '';
  return {
    update(filters) {
      const signature = JSON.stringify(filters);
      if (signature === shown) return;
      shown = signature;
      container.hidden = filters.length === 0;
      const chips = filters.map((filter, i) => {
        const words = describeFilter(filter);
        const value = filter.op === '~' ? filter.value : valueLabel(filter.dim, filter.value);
        const text = `${words.dim} ${words.op} ${value}`;
        return h(
          'li',
          { class: 'chip', 'data-filter': `${filter.dim}${filter.op}${filter.value}` },
          h('span', { class: 'chip-dim' }, words.dim),
          h('span', { class: 'chip-op' }, ` ${words.op} `),
          h('strong', { class: 'chip-value' }, value),
          h(
            'button',
            {
              type: 'button',
              class: 'chip-remove',
              'aria-label': `Remove filter: ${text}`,
              title: 'Remove this filter',
              onclick: () => onRemove(i),
            },
            '×',
          ),
        );
      });
      const list = h('ul', { class: 'chips', 'aria-label': 'Filters' }, ...chips);
      container.replaceChildren(
        h('span', { class: 'filters-label' }, 'Filtered by'),
        list,
        ...(filters.length > 1 ? [h('button', { type: 'button', class: 'link-button', onclick: () => onRemove('all') }, 'Clear all')] : []),
      );
    },
  };
}
