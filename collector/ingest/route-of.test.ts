import { describe, expect, it } from 'vitest';
import { routeOf } from './route-of.ts';

describe('routeOf', () => {
  it('keeps a path as it is', () => {
    expect(routeOf('/events', '/events')).toBe('/events');
    expect(routeOf('/event', '/events')).toBe('/event');
    expect(routeOf('/stats', '/api/collect')).toBe('/stats');
  });

  it('routes a renamed batch endpoint as /events', () => {
    expect(routeOf('/api/collect', '/api/collect')).toBe('/events');
  });

  it('takes leading slashes as one, as a base URL with a trailing slash leaves them', () => {
    expect(routeOf('//events', '/events')).toBe('/events');
    expect(routeOf('///event', '/events')).toBe('/event');
    expect(routeOf('//api/collect', '/api/collect')).toBe('/events');
    expect(routeOf('/', '/events')).toBe('/');
    expect(routeOf('', '/events')).toBe('');
  });
});
