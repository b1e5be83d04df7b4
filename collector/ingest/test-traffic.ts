import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The query parameter a site's own browser tests send `FOOTFALL_TEST_TOKEN`
 * in, on the batch endpoint's URL: a URL is the one thing a beacon sent as a
 * page unloads keeps (headers a test tool adds to a page's requests are lost
 * on those). The collector writes it into the script it serves at
 * `/footfall.js?footfall_test=TOKEN`.
 */
export const TEST_TRAFFIC_PARAM = 'footfall_test';

/**
 * `FOOTFALL_TEST_TOKEN`: a secret of 16 to 256 characters without spaces, or
 * null when unset. Short tokens are refused: anyone who guesses it can send
 * events from a headless browser.
 */
export function parseTestToken(value: string | undefined): string | null {
  const token = value?.trim();
  if (!token) return null;
  if (token.length < 16 || token.length > 256 || /\s/.test(token))
    throw new Error(`expected a secret of 16 to 256 characters without spaces, such as the output of "openssl rand -hex 16"`);
  return token;
}

/**
 * Whether a request's `footfall_test` parameter carries the configured token:
 * always false without one. Compared through hashes in constant time, so that
 * the answer's timing says nothing of the token.
 */
export function createTestTrafficCheck(token: string | null): (value: string | undefined) => boolean {
  if (token === null) return () => false;
  const want = createHash('sha256').update(token).digest();
  return (value) => value !== undefined && timingSafeEqual(createHash('sha256').update(value).digest(), want);
}
