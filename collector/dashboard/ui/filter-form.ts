import { byId, h } from './dom.ts';
import { DIMENSIONS, dimensionLabel, type Filter, type FilterOp } from './filters.ts';

/**
 * "+ Filter": any dimension, with is, is not or contains. Choosing a row does
 * the common case in one click; this form does the rest (exclusions, parts of
 * a path, custom properties as `prop:plan`).
 */
export function createFilterForm(doc: Document, onAdd: (filter: Filter) => void): void {
  const open = byId<HTMLButtonElement>('filter-open', doc);
  const form = byId<HTMLFormElement>('filter-form', doc);
  const dim = byId<HTMLSelectElement>('filter-dim', doc);
  const op = byId<HTMLSelectElement>('filter-op', doc);
  const value = byId<HTMLInputElement>('filter-value', doc);

  dim.append(...DIMENSIONS.map((d) => h('option', { value: d }, dimensionLabel(d))), h('option', { value: 'prop:' }, 'Property…'));

  const toggle = (show: boolean) => {
    form.hidden = !show;
    open.setAttribute('aria-expanded', String(show));
    if (show) dim.focus();
  };
  open.addEventListener('click', () => toggle(form.hidden));
  form.addEventListener('reset', () => {
    toggle(false);
    open.focus();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = value.value.trim();
    if (!text) return;
    let dimension = dim.value;
    let filterValue = text;
    if (dimension === 'prop:') {
      // A property is written `name=value`, as it reads.
      const at = text.indexOf('=');
      if (at < 1) {
        value.setCustomValidity('Write a property as name=value, e.g. plan=pro');
        value.reportValidity();
        return;
      }
      dimension = `prop:${text.slice(0, at).trim()}`;
      filterValue = text.slice(at + 1).trim();
    }
    value.value = '';
    toggle(false);
    onAdd({ dim: dimension, op: op.value as FilterOp, value: filterValue });
  });
  value.addEventListener('input', () => value.setCustomValidity(''));
  dim.addEventListener('change', () => {
    value.placeholder = dim.value === 'prop:' ? 'name=value, e.g. plan=pro' : 'value, e.g. /pricing';
  });
}
