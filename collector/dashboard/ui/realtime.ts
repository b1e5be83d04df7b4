import { byId, h, setText } from './dom.ts';
import { formatNumber } from './format.ts';
import type { RealtimeResponse } from './types.ts';

/** "N visitors now" in the header, and behind it the last 30 minutes and the pages being read. */
export interface Realtime {
  update(data: RealtimeResponse): void;
  clear(): void;
}

export function createRealtime(doc: Document): Realtime {
  const button = byId<HTMLButtonElement>('realtime-button', doc);
  const count = byId('realtime-count', doc);
  const label = byId('realtime-label', doc);
  const panel = byId('realtime-panel', doc);
  const bars = byId('realtime-bars', doc);
  const pages = byId('realtime-pages', doc);
  const summary = byId('realtime-summary', doc);
  let shown = '';

  button.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    button.setAttribute('aria-expanded', String(!panel.hidden));
  });
  byId('realtime-close', doc).addEventListener('click', () => {
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  });

  return {
    update(data) {
      setText(count, formatNumber(data.visitors));
      count.dataset.value = String(data.visitors);
      setText(label, data.visitors === 1 ? 'visitor now' : 'visitors now');
      button.classList.toggle('is-live', data.visitors > 0);
      button.hidden = false;

      const signature = JSON.stringify([data.per_minute, data.top_pages]);
      if (signature === shown) return;
      shown = signature;
      const max = Math.max(1, ...data.per_minute.map((m) => m.pageviews + m.events));
      const views = data.per_minute.reduce((sum, m) => sum + m.pageviews, 0);
      setText(summary, `${formatNumber(views)} page views in the last 30 minutes`);
      bars.replaceChildren(
        ...data.per_minute.map((m) => {
          const bar = h('span', {
            class: 'minute',
            title: `${m.minute.slice(11, 16) || m.minute}: ${m.pageviews} page views, ${m.events} events`,
          });
          bar.style.height = `${Math.max(2, ((m.pageviews + m.events) / max) * 100)}%`;
          return bar;
        }),
      );
      pages.replaceChildren(
        ...(data.top_pages.length === 0
          ? [h('li', { class: 'muted' }, 'No one is reading a page right now.')]
          : data.top_pages.map((p) =>
              h('li', {}, h('span', { class: 'row-text' }, p.path ?? '(no path)'), h('span', { class: 'num' }, formatNumber(p.visitors))),
            )),
      );
    },
    clear() {
      shown = '';
      setText(count, '–');
      delete count.dataset.value;
      button.classList.remove('is-live');
    },
  };
}
