import type { SeedEvent } from './dashboard.ts';

/**
 * A week of a small shop, 8 to 14 October 2026 (UTC), and the week before it:
 * few enough events to count by hand.
 *
 * This week: u1 reads / then /pricing (from Hacker News) and signs up for
 * 29.50 EUR; u2 reads /; u3 reads /pricing and signs up; u4 reads / and
 * /contact and clicks the brochure. The week before: u5 and u6 read /.
 */
export const SHOP_WEEK = { from: '2026-10-08', to: '2026-10-14' } as const;

const at = (day: string, time: string) => `2026-10-${day}T${time}:00Z`;
const view = (user: string, path: string, timestamp: string, referrer?: string): SeedEvent => ({
  site_id: 'shop',
  event_type: 'page_view',
  path,
  user_id: user,
  timestamp,
  ...(referrer ? { referrer } : {}),
});

export const SHOP_EVENTS: readonly SeedEvent[] = [
  view('u1', '/', at('14', '09:00'), 'https://news.ycombinator.com/item?id=1'),
  view('u1', '/pricing', at('14', '09:02')),
  {
    site_id: 'shop',
    event_type: 'Signup',
    path: '/pricing',
    user_id: 'u1',
    timestamp: at('14', '09:03'),
    props: { plan: 'pro' },
    revenue: { amount: 29.5, currency: 'EUR' },
  },
  view('u2', '/', at('13', '12:00')),
  view('u3', '/pricing', at('12', '15:00')),
  { site_id: 'shop', event_type: 'Signup', path: '/pricing', user_id: 'u3', timestamp: at('12', '15:04'), props: { plan: 'free' } },
  view('u4', '/', at('10', '08:00')),
  view('u4', '/contact', at('10', '08:03')),
  {
    site_id: 'shop',
    event_type: 'click',
    path: '/contact',
    user_id: 'u4',
    timestamp: at('10', '08:04'),
    link: 'https://shop.example/files/brochure.pdf',
    element: 'download',
  },
  view('u5', '/', at('05', '10:00')),
  view('u6', '/', at('03', '18:30')),
];
