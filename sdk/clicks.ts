import { record } from './record.ts';

/**
 * Records a click (or a middle click) on any element tagged
 * `data-footfall-event="Name"`, with its data attributes (the collector keeps
 * its `data-footfall-prop-KEY` ones as properties) and its label; and on any
 * link (an `a` with an `href`), with its `download` attribute: the collector
 * tells outbound links and downloads from the rest (and drops a `mailto:`).
 * Returns the link clicked, if any: it may leave the page, so the caller sends
 * at once.
 */
export function recordClick(event: MouseEvent): HTMLAnchorElement | null | undefined {
  const link = (event.target as Element).closest<HTMLAnchorElement>('a[href]');
  const tagged = (event.target as Element).closest<HTMLElement>('[data-footfall-event]');
  // A middle click opens a link and does nothing else; a right click never counts.
  if (event.button > (link ? 1 : 0)) return;
  // The label is cut here only so that a huge element cannot swell a batch: the collector trims it to 200.
  if (tagged)
    record(tagged.dataset.footfallEvent!, {
      t: tagged.dataset as Record<string, string>,
      x: (tagged.getAttribute('aria-label') || tagged.textContent!).slice(0, 2e3),
    });
  if (link) record('click', { l: link.href, d: link.getAttribute('download') });
  return link;
}
