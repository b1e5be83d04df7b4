import { describe, expect, it } from 'vitest';
import { chartCurrency, chartNoteText } from './chart-note.ts';
import { formatMoney } from './format.ts';

describe('the currency of a revenue chart', () => {
  it("is the period's of the most revenue, the key number's first; ties by code; none without revenue", () => {
    expect(chartCurrency({ EUR: 29.5, USD: 120 })).toBe('USD');
    expect(chartCurrency({ USD: 10, EUR: 10 })).toBe('EUR');
    expect(chartCurrency({ EUR: 0, USD: 3 })).toBe('USD');
    expect(chartCurrency({})).toBeNull();
    expect(chartCurrency(undefined)).toBeNull();
    expect(formatMoney({ EUR: 29.5, USD: 120 }).startsWith(formatMoney({ USD: 120 }))).toBe(true);
  });
});

describe('the line under the chart', () => {
  it('names the currencies a revenue chart leaves out, unconverted', () => {
    const text = chartNoteText({ revenue: { EUR: 120, USD: 3, GBP: 0 }, currency: 'EUR', interval: 'day' });
    expect(text).toBe(
      `The chart and its forecast show EUR, the currency of the most revenue in this period; ${formatMoney({ USD: 3 })} in other currencies is not converted or drawn.`,
    );
    expect(chartNoteText({ revenue: { EUR: 120 }, currency: 'EUR', interval: 'day' })).toBe('');
    expect(chartNoteText({ revenue: {}, currency: null, interval: 'day' })).toBe('');
  });

  it('says that revenue is not counted by the hour, and why a forecast asked for has no days', () => {
    expect(chartNoteText({ revenue: {}, currency: null, interval: 'hour' })).toMatch(/counted by day, not by hour/);
    // Other metrics have hours.
    expect(chartNoteText({ currency: null, interval: 'hour' })).toBe('');
    expect(chartNoteText({ currency: null, interval: 'day', forecastReason: 'a forecast needs 21 days of data' })).toBe(
      'No forecast: a forecast needs 21 days of data.',
    );
  });
});
