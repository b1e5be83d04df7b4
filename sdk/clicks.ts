import { on } from './pages.ts';
import { flush } from './queue.ts';
import { here, record } from './record.ts';

/** File extensions whose links count as downloads, unless the site gives its own list. */
export const DOWNLOADS = 'pdf|docx?|xlsx?|pptx?|odt|ods|csv|txt|zip|rar|7z|gz|dmg|exe|msi|pkg|apk|iso|mp3|mp4|mov|epub';

/**
 * Counts clicks (and middle clicks) on outbound links, on downloads, and on any
 * element tagged `data-footfall-event="Name"` with its `data-footfall-prop-KEY`
 * properties. A click on a link is sent at once: it may leave the page.
 */
export function watchClicks(downloads?: string[] | string): void {
  const files = RegExp(`\\.(${downloads ? String(downloads).replace(/[\s,]+/g, '|') : DOWNLOADS})$`, 'i');
  const click = (event: MouseEvent) => {
    const target = event.target as Element;
    const link = target.closest('a[href]') as HTMLAnchorElement | null;
    const tagged = target.closest('[data-footfall-event]');
    const kind = link && (link.hasAttribute('download') || files.test(link.pathname) ? 'download' : link.host != location.host && /^http/.test(link.protocol) && 'outbound');
    // A middle click opens a link and does nothing else; a right click never counts.
    if (event.button > (link ? 1 : 0)) return;
    if (tagged) {
      const props: Record<string, string> = {};
      for (const attribute of tagged.attributes) {
        if (!attribute.name.indexOf('data-footfall-prop-')) props[attribute.name.slice(19)] = attribute.value;
      }
      const label = tagged.getAttribute('aria-label') || tagged.textContent!;
      record({ ...here(), event_type: tagged.getAttribute('data-footfall-event')!, props, element: label.replace(/\s+/g, ' ').trim().slice(0, 200) });
    }
    if (kind) record({ ...here(), event_type: 'click', link: link.href, element: kind });
    if (link && (tagged || kind)) flush(true);
  };
  on('click', click);
  on('auxclick', click);
}
