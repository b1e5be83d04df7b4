import { describe, expect, it } from 'vitest';
import { countryName, filterValue, valueBadge, valueLabel } from './labels.ts';
import { PANELS, tabDimension } from './panels.ts';

describe('valueLabel', () => {
  it('names countries and keeps unknown codes', () => {
    expect(countryName('DE')).toBe('Germany');
    expect(valueLabel('country', 'US')).toBe('United States');
    expect(valueLabel('country', 'Germany')).toBe('Germany');
  });

  it('says what a missing value means for its dimension', () => {
    expect(valueLabel('source', null)).toBe('Direct / none');
    expect(valueLabel('page', '')).toBe('(no path)');
    expect(valueLabel('browser', null)).toBe('(unknown)');
    expect(valueLabel('prop:plan', null)).toBe('(none)');
    expect(filterValue(null)).toBe('');
    expect(filterValue('/a')).toBe('/a');
    expect(filterValue('/a;b')).toBe('/a;b');
  });

  it('tidies devices and links, and leaves other strings exactly as sent', () => {
    expect(valueLabel('device', 'mobile')).toBe('Mobile');
    expect(valueLabel('link', 'https://example.com/a')).toBe('example.com/a');
    expect(valueLabel('page', '<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });

  it('badges country codes and the kind of a clicked link', () => {
    expect(valueBadge('country', { value: 'FR', visitors: 1, events: 0 })).toBe('FR');
    expect(valueBadge('link', { value: 'https://x.example', visitors: 1, events: 1, element: 'download' })).toBe('download');
    expect(valueBadge('page', { value: '/', visitors: 1, events: 0 })).toBeNull();
  });
});

describe('PANELS', () => {
  it('covers every breakdown the dashboard promises', () => {
    const dims = PANELS.flatMap((p) => p.tabs.flatMap((t) => t.dims.map((d) => d.dim)));
    for (const dim of [
      'page',
      'entry_page',
      'exit_page',
      'source',
      'referrer',
      'utm_source',
      'utm_medium',
      'utm_campaign',
      'utm_term',
      'utm_content',
      'country',
      'region',
      'city',
      'browser',
      'os',
      'device',
      'event',
      'link',
      'element',
    ]) {
      expect(dims).toContain(dim);
    }
  });

  it('asks a tab for its chosen dimension, or a property by name', () => {
    const utm = PANELS.find((p) => p.id === 'sources')!.tabs.find((t) => t.id === 'utm')!;
    expect(tabDimension(utm, null)).toBe('utm_source');
    expect(tabDimension(utm, 'utm_campaign')).toBe('utm_campaign');
    expect(tabDimension(utm, 'nonsense')).toBe('utm_source');
    const property = PANELS.find((p) => p.id === 'events')!.tabs.find((t) => t.property)!;
    expect(tabDimension(property, null)).toBeNull();
    expect(tabDimension(property, 'plan')).toBe('prop:plan');
  });
});
