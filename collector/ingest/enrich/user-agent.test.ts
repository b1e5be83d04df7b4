import { describe, expect, it, vi } from 'vitest';
import { cachedUserAgentParser, parseUserAgent } from './user-agent.ts';

const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const SAFARI_IPAD =
  'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const SAFARI_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
const EDGE = `${CHROME_WINDOWS} Edg/121.0.0.0`;
const CHROMEBOOK = 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

describe('parseUserAgent', () => {
  it.each([
    [CHROME_WINDOWS, { browser: 'Chrome', browser_version: '120', os: 'Windows', device: 'Desktop' }],
    [SAFARI_IPHONE, { browser: 'Safari', browser_version: '17', os: 'iOS', device: 'Mobile' }],
    [SAFARI_IPAD, { browser: 'Safari', browser_version: '17', os: 'iOS', device: 'Tablet' }],
    [SAFARI_MAC, { browser: 'Safari', browser_version: '17', os: 'macOS', device: 'Desktop' }],
    [CHROME_ANDROID, { browser: 'Chrome', browser_version: '120', os: 'Android', device: 'Mobile' }],
    [FIREFOX_LINUX, { browser: 'Firefox', browser_version: '125', os: 'Ubuntu', device: 'Desktop' }],
    [EDGE, { browser: 'Edge', browser_version: '121', os: 'Windows', device: 'Desktop' }],
    [CHROMEBOOK, { browser: 'Chrome', browser_version: '120', os: 'ChromeOS', device: 'Desktop' }],
  ])('reads %s', (ua, facts) => {
    expect(parseUserAgent(ua)).toEqual(facts);
  });

  it('answers nulls for what it cannot read', () => {
    expect(parseUserAgent('')).toEqual({ browser: null, browser_version: null, os: null, device: null });
    expect(parseUserAgent('something/1.0')).toEqual({ browser: null, browser_version: null, os: null, device: null });
  });

  it('survives a very long User-Agent', () => {
    expect(parseUserAgent(`${CHROME_WINDOWS} ${'x'.repeat(100_000)}`).browser).toBe('Chrome');
  });
});

describe('cachedUserAgentParser', () => {
  it('parses each User-Agent once while it stays in the cache', () => {
    const parse = vi.fn(parseUserAgent);
    const facts = cachedUserAgentParser(2, parse);
    expect(facts(CHROME_WINDOWS)).toEqual(parseUserAgent(CHROME_WINDOWS));
    facts(CHROME_WINDOWS);
    facts(SAFARI_MAC);
    facts(CHROME_WINDOWS);
    expect(parse).toHaveBeenCalledTimes(2);
    facts(FIREFOX_LINUX); // evicts SAFARI_MAC, the least recently used
    facts(SAFARI_MAC);
    expect(parse.mock.calls.map(([ua]) => ua)).toEqual([CHROME_WINDOWS, SAFARI_MAC, FIREFOX_LINUX, SAFARI_MAC]);
  });
});
