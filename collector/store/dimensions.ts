/** Properties a visit takes from its first event (in the order of compareEvents, visits.ts). */
export const VISIT_ATTRIBUTES = [
  'source',
  'referrer',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'country',
  'region',
  'city',
  'browser',
  'os',
  'device',
] as const;

/** Dimensions whose value belongs to the visit: every event of a visit has its visit's. */
export const VISIT_DIMENSIONS = ['entry_page', 'exit_page', ...VISIT_ATTRIBUTES] as const;

/** Dimensions whose value belongs to each event, and the events column holding it. */
export const EVENT_DIMENSIONS = { page: 'path', event: 'name', link: 'link', element: 'element' } as const;

export type VisitAttribute = (typeof VISIT_ATTRIBUTES)[number];
export type VisitDimension = (typeof VISIT_DIMENSIONS)[number];
export type EventDimension = keyof typeof EVENT_DIMENSIONS;
export type Dimension = VisitDimension | EventDimension;

/** Every dimension stats can break down or filter by, besides `prop:KEY`. */
export const DIMENSIONS: readonly Dimension[] = [
  'page',
  'entry_page',
  'exit_page',
  'source',
  'referrer',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'country',
  'region',
  'city',
  'browser',
  'os',
  'device',
  'event',
  'link',
  'element',
];

export const isVisitDimension = (dim: string): dim is VisitDimension => (VISIT_DIMENSIONS as readonly string[]).includes(dim);

/** A rollup-only dimension pairing a clicked link with its element: `link + LINK_ELEMENT_SEPARATOR + element`. */
export const LINK_ELEMENT = 'link_element';
export const LINK_ELEMENT_SEPARATOR = '\u001f';

/** Clicks and custom events are interactive: a visit with one is not a bounce, and they count as `events`. */
export const isInteractive = (type: string): boolean => type === 'click' || type === 'custom';
