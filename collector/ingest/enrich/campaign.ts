import { storableText } from '../../store/storable-text.ts';

/** Campaign parameters read from a page URL's query string. */
export interface CampaignFacts {
  readonly utm_source: string | null;
  readonly utm_medium: string | null;
  readonly utm_campaign: string | null;
  readonly utm_term: string | null;
  readonly utm_content: string | null;
  /** `ref` (or `source`), as Product Hunt, Hacker News clones and newsletters tag links. */
  readonly ref: string | null;
}

const NONE: CampaignFacts = Object.freeze({
  utm_source: null,
  utm_medium: null,
  utm_campaign: null,
  utm_term: null,
  utm_content: null,
  ref: null,
});

/** Values longer than this are cut: they are labels, not payloads. */
const MAX_VALUE_LENGTH = 200;

/**
 * Reads `utm_*` and `ref` from the query of a page URL or path. Most page
 * views carry no query, so those cost one `indexOf`.
 */
export function readCampaign(page: string | null | undefined): CampaignFacts {
  if (!page) return NONE;
  const hash = page.indexOf('#');
  const end = hash === -1 ? page.length : hash;
  const start = page.indexOf('?');
  if (start === -1 || start > end) return NONE;
  const params = new URLSearchParams(page.slice(start + 1, end));
  const value = (name: string) => {
    const v = params.get(name)?.trim();
    // %00 decodes to U+0000, which not every store can hold.
    return v ? storableText(v.slice(0, MAX_VALUE_LENGTH)) : null;
  };
  const facts = {
    utm_source: value('utm_source'),
    utm_medium: value('utm_medium'),
    utm_campaign: value('utm_campaign'),
    utm_term: value('utm_term'),
    utm_content: value('utm_content'),
    ref: value('ref') ?? value('source'),
  };
  return Object.values(facts).some((v) => v !== null) ? facts : NONE;
}
