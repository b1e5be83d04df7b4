import { test } from './support/fixtures.ts';

// With data-hash, a site that routes by hash has a page for each hash; without it, the hash is ignored.

test('in hash mode each hash is a page', async ({ page, footfall }) => {
  await footfall.expectEvents(() => page.goto(`${footfall.demo.url}/docs#/intro`), {
    expect: [{ name: 'pageview', path: '/docs#/intro' }],
  });
  await footfall.expectEvents(() => page.getByRole('link', { name: 'Install' }).click(), {
    expect: [{ name: 'pageview', path: '/docs#/install' }],
  });
  await footfall.expectEvents(() => page.evaluate(() => (location.hash = '#/faq')), { expect: [{ name: 'pageview', path: '/docs#/faq' }] });
});

test('without hash mode a hash change is not a page', async ({ page, footfall }) => {
  await footfall.expectEvents(() => page.goto(`${footfall.demo.url}/pricing`), { expect: [{ name: 'pageview', path: '/pricing' }] });
  await footfall.expectEvents(() => page.evaluate(() => (location.hash = '#business')), { refute: [{ name: 'pageview' }] });
});
