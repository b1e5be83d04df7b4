import { byId } from './dom.ts';

/**
 * Shows, under the site picker, that the collector takes events for any site
 * id (FOOTFALL_SITES unset) and how to restrict it: with that default a typo
 * in `data-site` quietly starts a site of its own in the picker.
 */
export function showAnySiteNote(anySite: boolean, doc: Document): void {
  byId('any-site-note', doc).hidden = !anySite;
}
