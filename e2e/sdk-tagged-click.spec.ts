import { test } from './support/fixtures.ts';

// An element tagged data-footfall-event="Name" records that custom event, with its data-footfall-prop-* properties.

test('a tagged button records its event, properties and label', async ({ page, footfall }) => {
  await page.goto(`${footfall.demo.url}/pricing`);
  await footfall.expectEvents(() => page.getByRole('button', { name: 'Start a trial' }).nth(1).click(), {
    expect: [{ type: 'custom', name: 'Signup', props: { plan: 'business' }, element: 'Start a trial', path: '/pricing' }],
    refute: [{ name: 'Signup', props: { plan: 'starter' } }],
  });
});

test('an aria-label names the element rather than its text', async ({ page, footfall }) => {
  await page.goto(`${footfall.demo.url}/app/`);
  await footfall.expectEvents(() => page.getByRole('button', { name: 'Export orders' }).click(), {
    expect: [{ name: 'Export', props: { format: 'csv' }, element: 'Export orders' }],
  });
});
