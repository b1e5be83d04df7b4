import { test } from './support/fixtures.ts';

// Custom events from code, with properties and revenue; calls made before the script loaded are replayed.

test('a custom event with properties and revenue reaches the collector', async ({ page, footfall }) => {
  await page.goto(`${footfall.demo.url}/app/`);
  await footfall.expectEvents(() => page.getByRole('button', { name: 'Upgrade' }).click(), {
    expect: [{ type: 'custom', name: 'Upgrade', props: { plan: 'business' }, revenue_amount: 29, revenue_currency: 'EUR', path: '/app/' }],
  });
});

test('calls made to the stub before the tracker loaded are replayed', async ({ page, footfall }) => {
  const url = footfall.servePage(
    '/early',
    'data-include-localhost',
    '<script>window.footfall = window.footfall || function () { (footfall.q = footfall.q || []).push(arguments) }; footfall("Early", { props: { when: "before load" } });</script>',
  );
  await footfall.expectEvents(() => page.goto(url), {
    expect: [
      { name: 'pageview', path: '/early' },
      { name: 'Early', props: { when: 'before load' } },
    ],
  });
});
