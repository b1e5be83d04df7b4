import { isbotMatch } from 'isbot';

/** Why an event was taken for a bot's; a short fixed set, so it can label a metric. */
export type BotReason = 'no_user_agent' | 'headless_browser' | 'http_client' | 'crawler';

export const BOT_REASONS: readonly BotReason[] = ['no_user_agent', 'headless_browser', 'http_client', 'crawler'];

const HEADLESS = /headless|phantom|selenium|webdriver|puppeteer|playwright|electron|lighthouse/i;
const HTTP_CLIENT =
  /curl|wget|python|java|go-http|okhttp|axios|node|undici|libwww|http_?client|httpie|ruby|php|perl|postman|insomnia|scrapy|fetch|request/i;

/**
 * Says why a browser event's User-Agent is a bot's (isbot's list), or null for
 * a person's browser. Real browsers always send a User-Agent.
 */
export function botReason(userAgent: string | undefined): BotReason | null {
  if (!userAgent?.trim()) return 'no_user_agent';
  const match = isbotMatch(userAgent);
  if (match === null) return null;
  if (HEADLESS.test(match)) return 'headless_browser';
  if (HTTP_CLIENT.test(match)) return 'http_client';
  return 'crawler';
}
