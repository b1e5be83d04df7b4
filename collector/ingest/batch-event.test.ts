import { describe, expect, it } from 'vitest';
import { readBatchEvent } from './batch-event.ts';
import { DEFAULT_DOWNLOADS } from './link-click.ts';
import { batchEventSchema, normalizeLabel, propsFromDataset } from './wire.ts';

const read = (event: object, downloads = DEFAULT_DOWNLOADS) => readBatchEvent(batchEventSchema.parse(event), downloads);

describe('readBatchEvent', () => {
  it('reads a page view, an engagement and a custom event into the stored fields', () => {
    expect(read({ n: 'pageview', u: 'https://shop.test/a?x=1', k: '/a', r: 'https://search.test/', a: 5 })).toEqual({
      event_type: 'pageview', url: 'https://shop.test/a?x=1', path: '/a', referrer: 'https://search.test/',
      link: undefined, element: undefined, props: undefined, revenue: undefined, engaged_ms: undefined,
    });
    expect(read({ n: 'engagement', u: 'https://shop.test/a', g: 1200, a: 0 })).toMatchObject({ event_type: 'engagement', engaged_ms: 1200 });
    expect(read({ n: 'Signup', u: 'https://shop.test/a', p: { plan: 'pro' }, $: { amount: 9.5, currency: 'EUR' }, a: 0 })).toMatchObject({
      event_type: 'Signup', props: { plan: 'pro' }, revenue: { amount: 9.5, currency: 'EUR' },
    });
  });

  it('turns a link click into an outbound click or a download, or nothing', () => {
    const at = { n: 'click', u: 'https://shop.test/contact', a: 0 };
    expect(read({ ...at, l: 'https://help.test/' })).toMatchObject({ event_type: 'click', link: 'https://help.test/', element: 'outbound' });
    expect(read({ ...at, l: 'https://shop.test/a.zip' })).toMatchObject({ link: 'https://shop.test/a.zip', element: 'download' });
    expect(read({ ...at, l: 'https://shop.test/export', d: '' })).toMatchObject({ element: 'download' });
    expect(read({ ...at, l: 'https://shop.test/pricing', d: null })).toBeNull();
    expect(read({ ...at, l: 'https://shop.test/model.stl' }, ['stl'])).toMatchObject({ element: 'download' });
  });

  it('keeps a click that names no link as it came, as /event does', () => {
    expect(read({ n: 'click', u: 'https://shop.test/', a: 0 })).toMatchObject({ event_type: 'click', link: undefined, element: undefined });
  });

  it('reads a tagged element: its properties from its data attributes, its label trimmed', () => {
    expect(read({ n: 'Signup', t: { footfallEvent: 'Signup', footfallPropPlan: 'pro', toggle: 'modal' }, x: '  Start\n a   trial ', a: 0 })).toMatchObject({
      event_type: 'Signup', props: { plan: 'pro' }, element: 'Start a trial',
    });
  });
});

describe('propsFromDataset', () => {
  it('keeps footfallProp… keys, named as the markup names them, and nothing else', () => {
    // data-footfall-prop-plan, -billing-cycle, -2x; data-footfall-prop and data-footfall-prop2x are no properties.
    const dataset = { footfallEvent: 'Signup', footfallPropPlan: 'pro', footfallPropBillingCycle: 'yearly', 'footfallProp-2x': 'y', footfallProp: 'x', footfallProp2x: 'z', id: '7' };
    expect(propsFromDataset(dataset)).toEqual({ plan: 'pro', 'billing-cycle': 'yearly', '2x': 'y' });
  });
});

describe('normalizeLabel', () => {
  it('collapses whitespace, trims and cuts to 200 characters', () => {
    expect(normalizeLabel(' \n Close\t the   dialog ')).toBe('Close the dialog');
    expect(normalizeLabel('x'.repeat(300))).toHaveLength(200);
  });
});
