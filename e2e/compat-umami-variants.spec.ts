import { expect, test } from './support/fixtures.ts';

// Umami's snippet with data-auto-track="false" and data-exclude-search="true", in Chromium: the
// page view counts only when the page calls umami.track(), a tagged click does not, and the query
// (with its UTM tags) is left out of what is sent.

const WEBSITE = '0b8f4c2e-5a6d-4e7f-8a9b-1c2d3e4f5a6b';

test('Umami\'s data-auto-track="false" and data-exclude-search are honoured', async ({ page, footfall }) => {
  const url = footfall.serveFile(
    '/uv/',
    '<!doctype html><html><head><title>Umami</title>' +
      `<script defer src="{{COLLECTOR}}/script.js" data-website-id="${WEBSITE}" data-auto-track="false" data-exclude-search="true"></script>` +
      "<script>addEventListener('load', () => umami.track())</script>" +
      '</head><body><h1>Umami</h1><button data-umami-event="Signup">Join</button>' +
      '<button onclick="umami.track(\'Done\')">Done</button></body></html>',
  );
  await page.goto(`${url}?utm_source=newsletter`);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByRole('button', { name: 'Done' }).click();
  await page.goto('about:blank');
  await expect.poll(() => footfall.events().some((e) => e.name === 'Done')).toBe(true);
  expect(
    footfall
      .events()
      .filter((e) => e.type !== 'engagement')
      .map((e) => [e.name, e.path]),
  ).toEqual([
    ['pageview', '/uv/'],
    ['Done', '/uv/'],
  ]);
  const sources = await footfall.collector.getJson<{ results: { value: string | null }[] }>(
    `/stats/breakdown?site_id=${WEBSITE}&by=source`,
  );
  expect(sources.results.map((r) => r.value)).toEqual([null]);
});
