import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';
import { createLinkLookup } from './lookup.ts';
import { deleteLinksOfSite, insertLink, removeLink } from './repository.ts';

let t: TestCollector;
beforeEach(async () => {
  t = await createTestCollector();
});
afterEach(() => t.close());

it('remembers links and misses for a while, forgets a code when told, and knows the codes of deleted sites', async () => {
  let clock = 1_000_000;
  const lookup = createLinkLookup(t.store.db, 2_000, () => clock);
  expect(await lookup.get('spring')).toBeUndefined();
  await insertLink(t.store.db, { site_id: 's', target_url: 'https://a.example/', code: 'spring' }, clock);
  // Made elsewhere: seen once the remembered miss has expired.
  expect(await lookup.get('spring')).toBeUndefined();
  clock += 2_001;
  expect(await lookup.get('spring')).toMatchObject({ removed_at: null });

  await removeLink(t.store.db, 'spring', clock);
  expect(await lookup.get('spring')).toMatchObject({ removed_at: null });
  lookup.forget('spring');
  expect(await lookup.get('spring')).toMatchObject({ removed_at: clock });

  await deleteLinksOfSite(t.store.db, 's');
  lookup.forgetSite('another');
  expect(await lookup.get('spring')).toMatchObject({ removed_at: clock });
  lookup.forgetSite('s');
  expect(await lookup.get('spring')).toBe('retired');
});
