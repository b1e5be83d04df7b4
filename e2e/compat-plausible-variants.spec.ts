import { expect, test } from './support/fixtures.ts';

// Plausible's manual, exclusions and pageview-props variants in one snippet, in Chromium: no page view
// is counted by itself (nor on a history navigation), plausible('pageview') counts one, but not on a
// page data-exclude names, and each carries the script tag's event-* attributes as properties.

test("Plausible's manual, exclusions and pageview-props variants count as Plausible does", async ({ page, footfall }) => {
  const html = (title: string, body: string) =>
    `<!doctype html><html><head><title>${title}</title>` +
    '<script defer data-domain="variants.test" data-exclude="/pv/secret/**" event-author="Ada" src="{{COLLECTOR}}/js/script.manual.exclusions.pageview-props.local.js"></script>' +
    '<script>window.plausible = window.plausible || function () { (window.plausible.q = window.plausible.q || []).push(arguments) }</script>' +
    `</head><body><h1>${title}</h1>${body}</body></html>`;
  const secret = footfall.serveFile('/pv/secret/plans', html('Secret', "<script>plausible('pageview')</script>"));
  const open = footfall.serveFile(
    '/pv/open',
    html(
      'Open',
      "<script>plausible('pageview', { props: { plan: 'pro' } })</script>" +
        "<button onclick=\"history.pushState({}, '', '/pv/moved'); plausible('Done')\">Done</button>",
    ),
  );
  await page.goto(secret);
  await page.goto(open);
  await page.getByRole('button', { name: 'Done' }).click();
  await page.goto('about:blank');
  await expect.poll(() => footfall.events().some((e) => e.name === 'Done')).toBe(true);
  const counted = footfall.events().filter((e) => e.type !== 'engagement');
  expect(counted.map((e) => [e.name, e.path, e.props])).toEqual([
    ['pageview', '/pv/open', { author: 'Ada', plan: 'pro' }],
    ['Done', '/pv/moved', { author: 'Ada' }],
  ]);
});
