import { describe, expect, it } from 'vitest';
import { readBatch, readBatchCandidate, readBatchEvent } from './batch-event.ts';
import { DEFAULT_DOWNLOADS } from './link-click.ts';
import { batchEventSchema, normalizeLabel, propsFromDataset } from './wire.ts';

const read = (event: object, downloads = DEFAULT_DOWNLOADS) => readBatchEvent(batchEventSchema.parse(event), downloads);

describe('readBatchEvent', () => {
  it('reads a page view, an engagement and a custom event into the stored fields', () => {
    expect(read({ n: 'pageview', u: 'https://shop.test/a?x=1', k: '/a', r: 'https://search.test/', a: 5 })).toEqual({
      event_type: 'pageview',
      url: 'https://shop.test/a?x=1',
      path: '/a',
      referrer: 'https://search.test/',
      link: undefined,
      element: undefined,
      props: undefined,
      revenue: undefined,
      engaged_ms: undefined,
      scroll_depth: undefined,
    });
    expect(read({ n: 'engagement', u: 'https://shop.test/a', g: 1200, y: 0.8, a: 0 })).toMatchObject({
      event_type: 'engagement',
      engaged_ms: 1200,
      scroll_depth: 80,
    });
    expect(read({ n: 'Signup', u: 'https://shop.test/a', p: { plan: 'pro' }, $: { amount: 9.5, currency: 'EUR' }, a: 0 })).toMatchObject({
      event_type: 'Signup',
      props: { plan: 'pro' },
      revenue: { amount: 9.5, currency: 'EUR' },
    });
  });

  it("reads the scroll depth as a whole percent, a viewport past the document's end as 100", () => {
    const depth = (y: number | null) => read({ n: 'engagement', g: 1, y, a: 0 })?.scroll_depth;
    expect([0, 0.004, 0.005, 0.5, 0.994, 0.995, 1, 1.02, 4].map(depth)).toEqual([0, 0, 1, 50, 99, 100, 100, 100, 100]);
    expect(depth(null)).toBeNull();
    expect(batchEventSchema.safeParse({ n: 'engagement', y: -0.1, a: 0 }).success).toBe(false);
  });

  it('turns a link click into an outbound click or a download, or nothing', () => {
    const at = { n: 'click', u: 'https://shop.test/contact', a: 0 };
    expect(read({ ...at, l: 'https://help.test/' })).toMatchObject({
      event_type: 'click',
      link: 'https://help.test/',
      element: 'outbound',
    });
    expect(read({ ...at, l: 'https://shop.test/a.zip' })).toMatchObject({ link: 'https://shop.test/a.zip', element: 'download' });
    expect(read({ ...at, l: 'https://shop.test/export', d: '' })).toMatchObject({ element: 'download' });
    expect(read({ ...at, l: 'https://shop.test/pricing', d: null })).toBeNull();
    expect(read({ ...at, l: 'https://shop.test/model.stl' }, ['stl'])).toMatchObject({ element: 'download' });
  });

  it('keeps a click that names no link as it came, as /event does', () => {
    expect(read({ n: 'click', u: 'https://shop.test/', a: 0 })).toMatchObject({ event_type: 'click', link: undefined, element: undefined });
  });

  it('reads a tagged element: its properties from its data attributes, its label trimmed', () => {
    expect(
      read({ n: 'Signup', t: { footfallEvent: 'Signup', footfallPropPlan: 'pro', toggle: 'modal' }, x: '  Start\n a   trial ', a: 0 }),
    ).toMatchObject({
      event_type: 'Signup',
      props: { plan: 'pro' },
      element: 'Start a trial',
    });
  });
});

describe('readBatch', () => {
  it('reads the compact form and the earlier one, and names what is wrong in the terms of each', () => {
    expect(readBatch({ s: 'shop', e: [{}] })).toEqual({ data: { siteId: 'shop', candidates: [{}], legacy: false } });
    expect(readBatch({ site_id: 'shop', events: [{}] })).toEqual({ data: { siteId: 'shop', candidates: [{}], legacy: true } });
    expect(readBatch({ e: [] })).toEqual({
      errors: [
        { field: 's', reason: 'site id: is required' },
        { field: 'e', reason: 'events: is empty' },
      ],
    });
    expect(readBatch({ events: [{}] })).toEqual({ errors: [{ field: 'site_id', reason: 'is required' }] });
  });
});

describe('readBatchCandidate', () => {
  it("reads an event of either form into a row's fields and its age", () => {
    expect(readBatchCandidate({ n: 'pageview', u: 'https://a.test/', a: 7 }, 0, false, DEFAULT_DOWNLOADS)).toMatchObject({
      event: { event_type: 'pageview', url: 'https://a.test/' },
      age: 7,
    });
    expect(
      readBatchCandidate({ event_type: 'pageview', url: 'https://a.test/', user_id: 'u1', age: 7 }, 0, true, DEFAULT_DOWNLOADS),
    ).toEqual({
      event: { event_type: 'pageview', url: 'https://a.test/', user_id: 'u1' },
      age: 7,
    });
    expect(readBatchCandidate({ n: 'click', u: 'https://a.test/', l: 'https://a.test/b', a: 0 }, 0, false, DEFAULT_DOWNLOADS)).toEqual({
      ignored: true,
    });
    expect(readBatchCandidate({ n: 'x' }, 4, false, DEFAULT_DOWNLOADS)).toEqual({
      errors: [{ field: 'e[4].a', reason: 'age: is required' }],
    });
    expect(readBatchCandidate({ event_type: 'x' }, 4, true, DEFAULT_DOWNLOADS)).toEqual({
      errors: [{ field: 'events[4].age', reason: 'is required' }],
    });
  });
});

describe('propsFromDataset', () => {
  it('keeps footfallProp… keys, named as the markup names them, and nothing else', () => {
    // data-footfall-prop-plan, -billing-cycle, -2x; data-footfall-prop and data-footfall-prop2x are no properties.
    const dataset = {
      footfallEvent: 'Signup',
      footfallPropPlan: 'pro',
      footfallPropBillingCycle: 'yearly',
      'footfallProp-2x': 'y',
      footfallProp: 'x',
      footfallProp2x: 'z',
      id: '7',
    };
    expect(propsFromDataset(dataset)).toEqual({ plan: 'pro', 'billing-cycle': 'yearly', '2x': 'y' });
  });
});

describe('normalizeLabel', () => {
  it('collapses whitespace, trims and cuts to 200 characters', () => {
    expect(normalizeLabel(' \n Close\t the   dialog ')).toBe('Close the dialog');
    expect(normalizeLabel('x'.repeat(300))).toHaveLength(200);
  });
});
