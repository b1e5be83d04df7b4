import { UAParser } from 'ua-parser-js';
import { Lru } from './lru.ts';

/** What a User-Agent says about the visitor's software, as stored on each event. */
export interface UserAgentFacts {
  readonly browser: string | null;
  /** The major version only: enough to compare releases, too coarse to single anyone out. */
  readonly browser_version: string | null;
  readonly os: string | null;
  /** `Desktop`, `Mobile`, `Tablet`, `TV`, `Console`, `Wearable`, `XR` or `Embedded`. */
  readonly device: string | null;
}

// ua-parser-js names some browsers by the form factor, which `device` already says.
const BROWSER_NAMES: Record<string, string> = {
  'Mobile Safari': 'Safari',
  'Mobile Chrome': 'Chrome',
  'Mobile Firefox': 'Firefox',
  'Chrome Headless': 'Chrome',
  'Chrome WebView': 'Chrome WebView',
};
const OS_NAMES: Record<string, string> = { 'Mac OS': 'macOS', 'Chromium OS': 'ChromeOS' };
const DEVICE_TYPES: Record<string, string> = {
  mobile: 'Mobile',
  tablet: 'Tablet',
  smarttv: 'TV',
  console: 'Console',
  wearable: 'Wearable',
  xr: 'XR',
  embedded: 'Embedded',
};

/** Longer User-Agents are cut before parsing: real ones are a few hundred characters. */
const MAX_PARSED_LENGTH = 512;

/** Parses a User-Agent into the stored browser, version, OS and device. */
export function parseUserAgent(userAgent: string): UserAgentFacts {
  const { browser, os, device } = UAParser(userAgent.slice(0, MAX_PARSED_LENGTH));
  const browserName = browser.name ? (BROWSER_NAMES[browser.name] ?? browser.name) : null;
  const deviceType = device.type ? (DEVICE_TYPES[device.type] ?? null) : browserName ? 'Desktop' : null;
  return {
    browser: browserName,
    browser_version: browserName && browser.major ? browser.major : null,
    os: os.name ? (OS_NAMES[os.name] ?? os.name) : null,
    device: deviceType,
  };
}

/**
 * `parseUserAgent` behind a bounded LRU: a site's visitors use a few hundred
 * distinct User-Agents, and parsing one costs tens of microseconds.
 */
export function cachedUserAgentParser(capacity = 2000, parse = parseUserAgent): (userAgent: string) => UserAgentFacts {
  const cache = new Lru<string, UserAgentFacts>(capacity);
  return function userAgentFacts(userAgent) {
    let facts = cache.get(userAgent);
    if (!facts) {
      facts = Object.freeze(parse(userAgent));
      cache.set(userAgent, facts);
    }
    return facts;
  };
}
