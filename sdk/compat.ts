import { safe } from './guard.ts';
import type { EventData, Options } from './options.ts';
import type { Event } from './queue.ts';
import { record } from './record.ts';
import { init, track } from './tracker.ts';
import { variant as adjuster } from './variant.ts';

// The script the collector serves at Plausible's and Umami's script paths
// (`/js/script.js` and its variants, `/script.js`): Footfall's own tracker,
// set up from the other tool's snippet, so that a site changes nothing but the
// host. It reads Plausible's `data-domain` and `data-api`, or Umami's
// `data-website-id`, `data-host-url` and the rest, and keeps the page's calls
// to `plausible(...)` and `umami.track(...)` working. Events go to the
// collector's own batch endpoint, which knows a site by these names too.
// What their variants change (no automatic page views, pages left out, the
// script's properties, the query left out) is done to each event before it
// is queued (variant.ts).

type Props = Record<string, string | number | boolean>;

interface PlausibleOptions {
  /** The manual variant's page view: its URL. */
  u?: string;
  props?: Props;
  revenue?: { amount: number | string; currency: string };
  callback?: () => void;
}

interface Plausible {
  (name: string, options?: PlausibleOptions): void;
  q?: IArguments[];
}

type UmamiPayload = { name?: string; data?: Record<string, unknown> } & Record<string, unknown>;

interface Umami {
  track(name?: string | UmamiPayload | ((payload: UmamiPayload) => UmamiPayload), data?: Record<string, unknown>): void;
  identify(): void;
}

declare global {
  interface Window {
    plausible?: Plausible;
    umami?: Umami;
  }
}

const script = document.currentScript as HTMLScriptElement | null;
const attr = (name: string) => script?.getAttribute(`data-${name}`);
// Plausible's variants are named in the file name: script.hash.outbound-links.js.
const variant =
  script?.src
    .replace(/[?#].*/, '')
    .split('/')
    .pop() || '';
const website = attr('website-id');

/** The collector's base URL from the one another tool's tracker would send to, whose path may end in that tool's endpoint. */
const apiFrom = (url: string, own: RegExp) => new URL(url, location.href).href.replace(/\/*$/, '').replace(own, '');

/** True while the page's own call records a page view: with automatic page views off, only those count. */
let called = false;
/** Records a page view the page asked for: at `url` (default: here), with properties. */
const pageview = safe((url?: unknown, props?: Props) => {
  const at = new URL(typeof url === 'string' ? url : location.href, location.href);
  called = true;
  try {
    record('pageview', { r: document.referrer, p: props }, { u: at.href, k: at.pathname + (hash ? at.hash : '') });
  } finally {
    called = false;
  }
});
let hash = false;

if (website) {
  const domains = attr('domains');
  const tag = attr('tag');
  const auto = attr('auto-track') !== 'false';
  const excludeSearch = attr('exclude-search') === 'true';
  // Umami counts the hash as part of the page unless told not to.
  hash = attr('exclude-hash') !== 'true';
  adjuster.adjust = (event) => {
    // data-auto-track="false": page views only when the page calls umami.track().
    if (event.n == 'pageview' && !auto && !called) return;
    if (excludeSearch) event.u = event.u!.replace(/\?[^#]*/, '');
    // Umami sends its tag with every event, page views too.
    if (tag && event.n == 'pageview') event.p = { ...event.p, tag };
    return event;
  };
  // Umami counts nothing on a host its data-domains does not list.
  if (!domains || domains.split(',').some((d) => d.trim() === location.hostname)) {
    init({
      site: website,
      api: apiFrom(attr('host-url') || script!.src.replace(/\/[^/]*$/, ''), /\/api\/send$/),
      hash,
      respectDnt: attr('do-not-track') === 'true',
      // Umami's tracker counts every host, localhost included.
      includeLocalhost: true,
    } as Options);
  }
  const send = (name: string | undefined, data?: Record<string, unknown>) => {
    const { revenue, currency, ...rest } = data || {};
    // data.revenue with data.currency is a sale, as Umami reads it; either alone is a property.
    const sale = typeof currency === 'string' && revenue != null ? { amount: +revenue, currency: currency.toUpperCase() } : undefined;
    const props: Props = {};
    for (const [key, value] of Object.entries({ ...(sale ? rest : data), ...(tag && { tag }) }))
      if (value != null && typeof value !== 'object') props[key] = value as string | number | boolean;
    // No name: a page view, as Umami's umami.track() sends one.
    if (name) track(name, { props, revenue: sale });
    else pageview(url, props);
  };
  let url: unknown;
  window.umami = {
    track: (name, data) => {
      const payload =
        typeof name === 'function' ? name({ website, hostname: location.hostname, url: location.pathname, title: document.title }) : name;
      url = typeof payload === 'object' ? payload?.url : undefined;
      if (typeof payload === 'object') send(payload?.name, payload?.data);
      else send(payload, data);
    },
    // Footfall's tracker names no one: a visitor is counted by the day's hash.
    identify: () => {},
  };
  // Umami reads tagged clicks only when it tracks by itself.
  if (auto)
    addEventListener('click', (event) => tagged(event, 'data-umami-event', (el) => attributeProps(el, 'data-umami-event-'), send), true);
} else {
  const api = attr('api');
  const manual = /\.manual\./.test(variant);
  const include = attr('include');
  const exclude = attr('exclude');
  // pageview-props: the script tag's event-* attributes are properties of every page view and custom event.
  const scriptProps = script && attributeProps(script, 'event-');
  hash = /\.hash\./.test(variant);
  adjuster.adjust = (event) => {
    const page = event.n == 'pageview' || event.n == 'engagement';
    if (event.n == 'pageview' && manual && !called) return;
    // exclusions: data-include and data-exclude list pages with * and ** wildcards, as Plausible matches them.
    if (page && ((include && !matchesAny(include, event)) || (exclude && matchesAny(exclude, event)))) return;
    if (event.n != 'click' && event.n != 'engagement' && scriptProps && Object.keys(scriptProps).length)
      event.p = { ...scriptProps, ...event.p };
    return event;
  };
  init({
    site: (attr('domain') || location.hostname)
      .split(',')[0]!
      .trim()
      .replace(/^www\./, ''),
    api: apiFrom(api || new URL(script!.src).origin, /\/api\/event$/),
    hash,
    includeLocalhost: /\.local\./.test(variant),
  } as Options);
  const plausible: Plausible = (name, options) => {
    const revenue = options?.revenue;
    const data: EventData = { props: options?.props, revenue: revenue && { amount: +revenue.amount, currency: revenue.currency } };
    // Page views are the tracker's own, but for the manual variant's: plausible('pageview', { u, props }).
    if (name !== 'pageview') track(name, data);
    else if (manual) pageview(options?.u, options?.props);
    options?.callback?.();
  };
  for (const args of window.plausible?.q || []) plausible(...(args as unknown as [string, PlausibleOptions?]));
  window.plausible = plausible;
  addEventListener(
    'click',
    (event) =>
      tagged(
        event,
        'class',
        (el) => classProps(el),
        (name, props) => plausible(name, { props: props as Props }),
      ),
    true,
  );
}

/**
 * A click on an element the page tagged for the other tool: Umami's
 * `data-umami-event="Name"`, or Plausible's class `plausible-event-name=Name`
 * (`+` for a space), recorded as a custom event with the element's properties.
 */
function tagged(
  event: MouseEvent,
  attribute: string,
  props: (element: Element) => Record<string, string>,
  send: (name: string, props: Record<string, string>) => void,
): void {
  if (event.button > 1) return;
  let element = event.target as Element | null;
  for (; element; element = element.parentElement) {
    const name =
      attribute === 'class'
        ? /plausible-event-name=(\S+)/.exec(element.getAttribute('class') || '')?.[1]?.replace(/\+/g, ' ')
        : element.getAttribute(attribute);
    if (name) {
      send(name, props(element));
      return;
    }
  }
}

function attributeProps(element: Element, prefix: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const name of element.getAttributeNames())
    if (name.startsWith(prefix)) props[name.slice(prefix.length)] = element.getAttribute(name)!;
  return props;
}

/** Whether the event's page matches one of a comma-separated list of paths with `*` (within a segment) and `**` (anything). */
function matchesAny(list: string, event: Event): boolean {
  return list.split(',').some((path) =>
    new RegExp(
      `^${path
        .trim()
        .replace(/\*\*/g, '.*')
        .replace(/([^.])\*/g, '$1[^\\s/]*')}/?$`,
    ).test(event.k!),
  );
}

function classProps(element: Element): Record<string, string> {
  const props: Record<string, string> = {};
  for (const [, key, value] of (element.getAttribute('class') || '').matchAll(/plausible-event-([^=\s]+)=(\S+)/g))
    if (key !== 'name') props[key!] = value!.replace(/\+/g, ' ');
  return props;
}
