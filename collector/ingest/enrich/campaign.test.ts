import { describe, expect, it } from 'vitest';
import { readCampaign } from './campaign.ts';

describe('readCampaign', () => {
  it('reads the utm parameters and ref from a URL', () => {
    expect(
      readCampaign(
        'https://shop.test/p?utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale&utm_term=shoes&utm_content=top&ref=ph#x',
      ),
    ).toEqual({
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'spring sale',
      utm_term: 'shoes',
      utm_content: 'top',
      ref: 'ph',
    });
  });

  it('reads a path with a query, and source= as ref', () => {
    expect(readCampaign('/landing?source=hn')).toMatchObject({ utm_source: null, ref: 'hn' });
  });

  it('ignores the fragment, empty values and other parameters', () => {
    expect(readCampaign('https://shop.test/#/?utm_source=x')).toMatchObject({ utm_source: null });
    expect(readCampaign('https://shop.test/?utm_source=&q=1')).toEqual({
      utm_source: null,
      utm_medium: null,
      utm_campaign: null,
      utm_term: null,
      utm_content: null,
      ref: null,
    });
  });

  it('cuts overlong values', () => {
    expect(readCampaign(`/?utm_campaign=${'c'.repeat(1000)}`).utm_campaign).toHaveLength(200);
  });

  it('answers nothing for a page without a query', () => {
    expect(readCampaign('https://shop.test/a')).toMatchObject({ utm_source: null, ref: null });
    expect(readCampaign(null)).toMatchObject({ utm_source: null, ref: null });
  });
});
