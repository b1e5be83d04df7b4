import { byId, setText } from './dom.ts';

/**
 * A site with no events yet: the line to paste into its pages, and a live
 * "waiting for the first event" that turns green when one arrives.
 */
export interface EmptyState {
  /** Shows the snippet for a site, waiting. */
  waitFor(site: string): void;
  /** The first event arrived. */
  arrived(): void;
  hide(): void;
  readonly visible: boolean;
}

/** The script tag a site owner pastes into every page: `script` is the tracker's URL. */
export function snippetFor(site: string, script: string): string {
  return `<script defer src="${script}" data-site="${site}"></script>`;
}

/** The tracker's URL on this collector: its path is named by the page's `footfall-script` meta tag. */
export function scriptUrl(doc: Document): string {
  const path = doc.querySelector<HTMLMetaElement>('meta[name="footfall-script"]')?.content || '/footfall.js';
  return new URL(path, doc.location.origin).href;
}

export function createEmptyState(doc: Document, onOpen: () => void): EmptyState {
  const section = byId('empty', doc);
  const code = byId('snippet', doc);
  const copy = byId<HTMLButtonElement>('snippet-copy', doc);
  const status = byId('first-event', doc);
  const statusText = byId('first-event-text', doc);
  const open = byId<HTMLButtonElement>('first-event-open', doc);
  const siteName = byId('empty-site', doc);

  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(code.textContent ?? '');
      setText(copy, 'Copied');
    } catch {
      // No clipboard (an insecure origin): select the text so that Ctrl+C does it.
      const selection = doc.getSelection();
      selection?.selectAllChildren(code);
      setText(copy, 'Selected: press Ctrl+C');
    }
    setTimeout(() => setText(copy, 'Copy'), 2500);
  });
  open.addEventListener('click', onOpen);

  return {
    get visible() {
      return !section.hidden;
    },
    waitFor(site) {
      setText(siteName, site);
      setText(code, snippetFor(site, scriptUrl(doc)));
      status.classList.remove('is-done');
      setText(statusText, 'Waiting for the first event…');
      open.hidden = true;
      section.hidden = false;
    },
    arrived() {
      status.classList.add('is-done');
      setText(statusText, 'The first event arrived. Footfall is counting.');
      open.hidden = false;
    },
    hide() {
      section.hidden = true;
    },
  };
}
