import { describe, expect, it } from 'vitest';
import { botReason } from './bots.ts';

describe('botReason', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    ],
    ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'],
  ])("lets a person's browser through: %s", (ua) => {
    expect(botReason(ua)).toBeNull();
  });

  it.each([
    [undefined, 'no_user_agent'],
    ['', 'no_user_agent'],
    ['   ', 'no_user_agent'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36', 'headless_browser'],
    ['Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1', 'headless_browser'],
    ['curl/8.4.0', 'http_client'],
    ['python-requests/2.31.0', 'http_client'],
    ['Wget/1.21.4', 'http_client'],
    ['node', 'http_client'],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'crawler'],
    ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'crawler'],
    ['Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)', 'crawler'],
  ])('names %s a bot because of %s', (ua, reason) => {
    expect(botReason(ua)).toBe(reason);
  });
});
