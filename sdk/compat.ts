import type { EventData, Options } from './options.ts';
import { init, track } from './tracker.ts';

// The script the collector serves at Plausible's and Umami's script paths
// (`/js/script.js` and its variants, `/script.js`): Footfall's own tracker,
// set up from the other tool's snippet, so that a site changes nothing but the
// host. It reads Plausible's `data-domain` and `data-api`, or Umami's
// `data-website-id`, `data-host-url` and the rest, and keeps the page's calls
// to `plausible(...)` and `umami.track(...)` working. Events go to the
// collector's own batch endpoint, which knows a site by these names too.

type Props = Record<string, string | number | boolean>;

interface PlausibleOptions {
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

if (website) {
  const domains = attr('domains');
  const tag = attr('tag');
  // Umami counts nothing on a host its data-domains does not list.
  if (!domains || domains.split(',').some((d) => d.trim() === location.hostname)) {
    init({
      site: website,
      api: apiFrom(attr('host-url') || script!.src.replace(/\/[^/]*$/, ''), /\/api\/send$/),
      // Umami counts the hash as part of the page unless told not to.
      hash: attr('exclude-hash') !== 'true',
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
    track(name || 'pageview', { props, revenue: sale });
  };
  window.umami = {
    track: (name, data) => {
      const payload =
        typeof name === 'function' ? name({ website, hostname: location.hostname, url: location.pathname, title: document.title }) : name;
      if (typeof payload === 'object') send(payload?.name, payload?.data);
      else send(payload, data);
    },
    // Footfall's tracker names no one: a visitor is counted by the day's hash.
    identify: () => {},
  };
  addEventListener('click', (event) => tagged(event, 'data-umami-event', (el) => attributeProps(el, 'data-umami-event-'), send), true);
} else {
  const api = attr('api');
  init({
    site: (attr('domain') || location.hostname)
      .split(',')[0]!
      .trim()
      .replace(/^www\./, ''),
    api: apiFrom(api || new URL(script!.src).origin, /\/api\/event$/),
    hash: /\.hash\./.test(variant),
    includeLocalhost: /\.local\./.test(variant),
  } as Options);
  const plausible: Plausible = (name, options) => {
    const revenue = options?.revenue;
    const data: EventData = { props: options?.props, revenue: revenue && { amount: +revenue.amount, currency: revenue.currency } };
    // Page views are the tracker's own: a call for one counts it where the page is.
    if (name !== 'pageview') track(name, data);
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

function classProps(element: Element): Record<string, string> {
  const props: Record<string, string> = {};
  for (const [, key, value] of (element.getAttribute('class') || '').matchAll(/plausible-event-([^=\s]+)=(\S+)/g))
    if (key !== 'name') props[key!] = value!.replace(/\+/g, ' ');
  return props;
}
