import type { Page } from '@playwright/test';
import { test } from './support/fixtures.ts';

// How far down a long page the reader scrolled arrives with the page's engagement event, in percent.

/** A page of ten viewports' height: what the reader sees of it is a tenth at a time. */
const LONG = `<div id="article" style="height: 1000vh">the article</div>`;

/**
 * Scrolls so that the viewport's bottom is at `share` of the document, and
 * waits for the scroll event: the browser sends one a frame, for where the
 * page is then.
 */
async function scrollToShare(page: Page, share: number): Promise<void> {
  await page.evaluate(
    (share) =>
      new Promise((resolve) => {
        addEventListener('scroll', resolve, { once: true });
        scrollTo(0, document.documentElement.scrollHeight * share - innerHeight);
      }),
    share,
  );
}

test('a long page read to its end sends a scroll depth of 100 with its engagement', async ({ page, footfall }) => {
  await page.goto(footfall.servePage('/long', 'data-include-localhost', LONG));
  await scrollToShare(page, 0.3);
  await scrollToShare(page, 1);
  await scrollToShare(page, 0.2); // and back up: the depth is the deepest point reached
  await footfall.expectEvents(
    () => page.close({ runBeforeUnload: true }),
    {
      expect: [{ name: 'engagement', path: '/long', scroll_depth: 100, engaged_ms: (ms) => ms !== null && ms > 0 }],
    },
    page,
  );
});

test('a long page read half way sends a scroll depth of 50', async ({ page, footfall }) => {
  await page.goto(footfall.servePage('/half', 'data-include-localhost', LONG));
  await scrollToShare(page, 0.5);
  await footfall.expectEvents(
    () => page.close({ runBeforeUnload: true }),
    {
      expect: [{ name: 'engagement', path: '/half', scroll_depth: 50 }],
    },
    page,
  );
});

test('each page of a single-page app sends its own depth, and a page view none', async ({ page, footfall }) => {
  await page.goto(footfall.servePage('/spa', 'data-include-localhost', LONG));
  await scrollToShare(page, 1);
  await footfall.expectEvents(
    () =>
      page.evaluate(() => {
        // The app renders a short next page at its top, then pushes its URL.
        document.getElementById('article')!.style.height = '10px';
        scrollTo(0, 0);
        history.pushState({}, '', '/spa/short');
      }),
    {
      expect: [
        { name: 'engagement', path: '/spa', scroll_depth: 100 },
        { name: 'pageview', path: '/spa/short', scroll_depth: null },
      ],
    },
  );
  await footfall.expectEvents(
    () => page.close({ runBeforeUnload: true }),
    {
      expect: [{ name: 'engagement', path: '/spa/short', scroll_depth: 100 }],
    },
    page,
  );
});
