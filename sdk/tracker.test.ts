// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Batch } from '../collector/ingest/wire.ts';

type Tracker = typeof import('./tracker.ts');
let tracker: Tracker;
let beacons: { url: string; batch: Batch }[];

beforeEach(async () => {
  vi.useFakeTimers();
  vi.resetModules(); // the tracker keeps page-level state; each test loads it anew
  beacons = [];
  Object.defineProperty(navigator, 'sendBeacon', {
    configurable: true,
    value: (url: string, body: string) => {
      beacons.push({ url, batch: JSON.parse(body) as Batch });
      return true;
    },
  });
  tracker = await import('./tracker.ts');
});
afterEach(() => {
  vi.useRealTimers();
});

describe('tracker', () => {
  it('counts the page view on init and sends it after a short delay', () => {
    tracker.init({ site: 'demo', api: 'https://stats.test/' });
    expect(beacons).toHaveLength(0);
    vi.advanceTimersByTime(1000);
    expect(beacons).toHaveLength(1);
    expect(beacons[0]?.url).toBe('https://stats.test/events');
    expect(beacons[0]?.batch).toMatchObject({ site_id: 'demo', events: [{ event_type: 'pageview', url: location.href }] });
  });

  it('batches events and sends each with its age, not a clock', () => {
    tracker.init({ site: 'demo', api: 'https://stats.test' });
    vi.advanceTimersByTime(300);
    tracker.track('Signup', { props: { plan: 'pro' } });
    vi.advanceTimersByTime(700);
    expect(beacons).toHaveLength(1);
    const [view, signup] = beacons[0]!.batch.events;
    expect(view?.age).toBeGreaterThanOrEqual(signup!.age);
    expect(signup).toMatchObject({ event_type: 'Signup', props: { plan: 'pro' } });
    expect(JSON.stringify(beacons[0]!.batch)).not.toMatch(/timestamp/);
  });

  it('sends at once when the page is hidden', () => {
    tracker.init({ site: 'demo', api: 'https://stats.test' });
    dispatchEvent(new Event('pagehide'));
    expect(beacons).toHaveLength(1);
  });

  it('does nothing before init, and never throws into the page when sending fails', () => {
    tracker.track('Early');
    vi.advanceTimersByTime(2000);
    expect(beacons).toHaveLength(0);
    Object.defineProperty(navigator, 'sendBeacon', { configurable: true, value: () => { throw new TypeError('blocked'); } });
    tracker.init({ site: 'demo', api: 'https://stats.test' });
    expect(() => tracker.flush()).not.toThrow();
  });
});
