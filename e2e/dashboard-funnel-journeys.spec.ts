import type { SeedEvent } from './support/dashboard.ts';
import { expect, getJson, seed, test } from './support/dashboard.ts';

// A site with goals: the dashboard's Goals tab, Funnel card and Journeys card
// show what the read API answers for the same range, and follow events of a
// visit that arrive late and reach the funnel's last step.

const KEY = 'funnel-journeys-key-0123456789';
const auth = { authorization: `Bearer ${KEY}` };
test.use({ collectorEnv: { FOOTFALL_SITES: 'shop', FOOTFALL_API_KEYS: KEY } });

const DAY = 86_400_000;
const yesterday = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`) - DAY;

/** One visit of pages (and `!Name` custom events), a minute apart, from 10:00 yesterday plus `hour`. */
function visit(user: string, hour: number, steps: string[]): SeedEvent[] {
  return steps.map((step, i) => ({
    site_id: 'shop',
    event_type: step.startsWith('!') ? step.slice(1) : 'page_view',
    path: step.startsWith('!') ? '/pricing' : step,
    user_id: user,
    timestamp: new Date(yesterday + (10 + hour) * 3_600_000 + i * 60_000).toISOString(),
  }));
}

async function post(url: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(new URL(path, url), {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { ...auth, 'content-type': 'application/json' },
  });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
}

test('Goals, Funnel and Journeys show the API answers, and follow a late visit', async ({ page, context, collector, consoleErrors }) => {
  await post(collector.url, '/goals', { site_id: 'shop', name: 'Pricing', page: '/pricing' });
  await post(collector.url, '/goals', { site_id: 'shop', name: 'Signup', event: 'Signup' });
  await post(collector.url, '/funnels', { site_id: 'shop', name: 'Trial', steps: ['Pricing', 'Signup'] });
  await seed(
    collector,
    [
      ...visit('a', 0, ['/', '/pricing', '!Signup']),
      ...visit('b', 1, ['/', '/pricing', '/docs']),
      ...visit('c', 2, ['/blog', '/pricing']),
      ...visit('d', 3, ['/', '/docs']),
    ],
    auth,
  );
  await context.addInitScript((key) => sessionStorage.setItem('footfall.apiKey', key), KEY);
  await page.goto(`${collector.url}/dashboard?site=shop&period=7d&funnel=Pricing,Signup&journey=/pricing`);

  const funnel = await getJson<{ steps: { goal: string; visitors: number }[] }>(
    collector,
    '/stats/funnel?site_id=shop&period=7d&steps=Pricing,Signup',
    auth,
  );
  expect(funnel.steps.map((s) => s.visitors)).toEqual([3, 1]);
  const steps = page.locator('.funnel-view .funnel-step');
  await expect(steps).toHaveCount(2);
  await expect(steps.nth(0)).toContainText('1. Pricing');
  await expect(steps.nth(0).locator('[title="visitors who reached it"]')).toHaveText('3');
  await expect(steps.nth(1).locator('[title="visitors who reached it"]')).toHaveText('1');
  await expect(steps.nth(1).locator('[title="lost since the step before"]')).toHaveText('−2');

  // Before /pricing: / twice and /blog once; after it: /docs once, the visit ended there twice.
  const journeys = page.locator('.journeys-view');
  const before = journeys.locator('.journeys-list', { hasText: 'Before' }).locator('li');
  await expect(before).toHaveText(['/2', '/blog1']);
  const after = journeys.locator('.journeys-list', { hasText: 'After' }).locator('li');
  await expect(after).toHaveText(['(exit)2', '/docs1']);

  const conversions = page.getByRole('region', { name: 'Events & conversions' });
  await conversions.getByRole('tab', { name: 'Goals' }).click();
  const goals = conversions.getByRole('tabpanel', { name: 'Goals' }).getByRole('listitem');
  // Uniques, total, conversion rate: Pricing 3 of 4 visitors, Signup 1.
  await expect(goals).toHaveText([/Pricing\s*3\s*3\s*75%/, /Signup\s*1\s*1\s*25%/]);

  // d signs up late, in the same visit: the funnel and the journeys count it at the next load.
  await seed(collector, visit('d', 3, ['/', '/docs', '/pricing', '!Signup']).slice(2), auth);
  await page.reload();
  await expect(steps.nth(0).locator('[title="visitors who reached it"]')).toHaveText('4');
  await expect(steps.nth(1).locator('[title="visitors who reached it"]')).toHaveText('2');
  await expect(before).toHaveText(['/2', '/blog1', '/docs1']);
  await conversions.getByRole('tab', { name: 'Goals' }).click();
  await expect(goals).toHaveText([/Pricing\s*4\s*4\s*100%/, /Signup\s*2\s*2\s*50%/]);
  expect(consoleErrors).toEqual([]);
});
