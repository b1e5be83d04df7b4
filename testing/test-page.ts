import { vi } from 'vitest';
import type { Batch } from '../collector/ingest/wire.ts';

// A page for the tracker's unit tests (happy-dom): a fresh tracker per test,
// a document of 4,000 pixels in a viewport of 1,000, beacons and fetches
// captured, and everything it attached to the page taken away afterwards.

export interface Sent {
  via: 'beacon' | 'fetch';
  url: string;
  batch: Batch;
}

export interface TestPage {
  /** Every batch sent, in order. */
  sent: Sent[];
  /** Every event sent, in order, with its batch's transport. */
  events(): (Batch['e'][number] & { via: Sent['via'] })[];
  /** The tracker's modules, loaded afresh. */
  tracker: typeof import('../sdk/index.ts');
  /** Lets timers and pending promises run, as a second of the page's life would. */
  wait(ms?: number): Promise<void>;
}

export interface PageSetup {
  url?: string;
  /** What the beacon answers: true (queued) or false (refused). */
  beacon?: boolean;
  /** What the collector answers a fetch: a status, or 'offline' for a network failure. */
  fetch?: number | 'offline';
  /** The body of that answer (`{}` unless given). */
  answer?: string;
  /** Not automated, unless a test says so (happy-dom says it is). */
  webdriver?: boolean;
}

const attached: [EventTarget, string, EventListenerOrEventListenerObject][] = [];
const originalAdd = EventTarget.prototype.addEventListener;
// In happy-dom the window's addEventListener is its own bound function, not the prototype's.
const originalWindowAdd = window.addEventListener;
const originalHistory = { pushState: history.pushState, replaceState: history.replaceState };
const originalViewport = (['scrollY', 'innerHeight'] as const).map((key) => [key, Object.getOwnPropertyDescriptor(window, key)!] as const);

/** Opens the page: call in beforeEach (or at the start of a test, for its own setup). */
export async function openPage(setup: PageSetup = {}): Promise<TestPage> {
  closePage();
  vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.resetModules();
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(setup.url ?? 'https://shop.example/a');
  layOut(0);
  Object.defineProperty(navigator, 'webdriver', { configurable: true, value: setup.webdriver ?? false });
  EventTarget.prototype.addEventListener = function (
    this: EventTarget,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: unknown,
  ) {
    if (listener) attached.push([this, type, listener]);
    return originalAdd.call(this, type, listener, options as AddEventListenerOptions);
  };
  window.addEventListener = (
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ) => {
    if (listener) attached.push([window, type, listener]);
    if (listener) originalWindowAdd.call(window, type, listener, options);
  };
  const sent: Sent[] = [];
  Object.defineProperty(navigator, 'sendBeacon', {
    configurable: true,
    value: (url: string, body: string) => {
      if (setup.beacon === false) return false;
      sent.push({ via: 'beacon', url, batch: JSON.parse(body) as Batch });
      return true;
    },
  });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      if (setup.fetch === 'offline') throw new TypeError('Failed to fetch');
      sent.push({ via: 'fetch', url, batch: JSON.parse(init.body as string) as Batch });
      return new Response(setup.answer ?? '{}', { status: setup.fetch ?? 202, headers: { 'Retry-After': '5' } });
    }),
  );
  const tracker = await import('../sdk/index.ts');
  return {
    sent,
    tracker,
    events: () => sent.flatMap((s) => s.batch.e.map((e) => ({ ...e, via: s.via }))),
    wait: async (ms = 1000) => void (await vi.advanceTimersByTimeAsync(ms)),
  };
}

/** Takes away what the last tracker attached, and what it stored: call in afterEach. */
export function closePage(): void {
  for (const [target, type, listener] of attached.splice(0)) target.removeEventListener(type, listener);
  EventTarget.prototype.addEventListener = originalAdd;
  window.addEventListener = originalWindowAdd;
  Object.assign(history, originalHistory);
  localStorage.clear();
  for (const key of ['hidden', 'visibilityState', 'currentScript']) delete (document as unknown as Record<string, unknown>)[key];
  delete (document.documentElement as unknown as Record<string, unknown>).scrollHeight;
  for (const [key, descriptor] of originalViewport) Object.defineProperty(window, key, descriptor);
  for (const key of ['doNotTrack', 'globalPrivacyControl']) delete (navigator as unknown as Record<string, unknown>)[key];
  delete (window as { footfall?: unknown }).footfall;
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.useRealTimers();
}

/** Makes the page hidden or visible, as switching tabs does, and says so. */
export function setHidden(hidden: boolean): void {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
}

/** Lays the page out as a document `height` pixels tall in a viewport of `viewport`, scrolled to `top`. */
export function layOut(top: number, height = 4000, viewport = 1000): void {
  Object.defineProperty(document.documentElement, 'scrollHeight', { configurable: true, get: () => height });
  Object.defineProperty(window, 'innerHeight', { configurable: true, get: () => viewport });
  Object.defineProperty(window, 'scrollY', { configurable: true, get: () => top });
}

/** Scrolls the page (as laid out by `layOut`) to `top`, and says so with a scroll event. */
export function scrollTo(top: number, height?: number, viewport?: number): void {
  layOut(top, height, viewport);
  dispatchEvent(new Event('scroll'));
}
