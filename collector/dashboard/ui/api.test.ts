import { describe, expect, it } from 'vitest';
import { ApiError, createApi, sessionKeyStore } from './api.ts';

function fakeFetch(respond: (url: string, init: RequestInit) => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return respond(url, init);
  }) as unknown as typeof fetch;
  return { fetchFn, calls };
}

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    map,
  };
}

describe('createApi', () => {
  it('sends the key as a bearer token, and none without one', async () => {
    const storage = memoryStorage();
    const keys = sessionKeyStore(storage);
    const { fetchFn, calls } = fakeFetch(() => Response.json({ ok: 1 }));
    const api = createApi(fetchFn, keys);
    expect(await api.json('/stats', new URLSearchParams({ site_id: 's' }))).toEqual({ ok: 1 });
    expect(calls[0]!.url).toBe('/stats?site_id=s');
    expect((calls[0]!.init.headers as Record<string, string>).Authorization).toBeUndefined();

    keys.set('k'.repeat(20));
    await api.json('/sites');
    expect((calls[1]!.init.headers as Record<string, string>).Authorization).toBe(`Bearer ${'k'.repeat(20)}`);
    expect(storage.map.get('footfall.apiKey')).toBe('k'.repeat(20));
    keys.set(null);
    expect(keys.get()).toBeNull();
  });

  it("turns the API's error body into an ApiError with its fields", async () => {
    const body = { status: 'error', message: 'date: expected YYYY-MM-DD', errors: [{ field: 'date', reason: 'expected YYYY-MM-DD' }] };
    const api = createApi(fakeFetch(() => Response.json(body, { status: 400 })).fetchFn, sessionKeyStore(null));
    const error = await api.json('/stats').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      message: 'date: expected YYYY-MM-DD',
      errors: [{ field: 'date', reason: 'expected YYYY-MM-DD' }],
    });
  });

  it('reports an unreachable collector as status 0, and a non-JSON error by its status', async () => {
    const down = createApi(
      (async () => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch,
      sessionKeyStore(null),
    );
    await expect(down.json('/stats')).rejects.toMatchObject({ status: 0 });
    const proxy = createApi(
      fakeFetch(() => new Response('Bad gateway', { status: 502, statusText: 'Bad Gateway' })).fetchFn,
      sessionKeyStore(null),
    );
    await expect(proxy.text('/stats')).rejects.toMatchObject({ status: 502, message: '502 Bad Gateway' });
  });

  it('keeps the key in memory when storage refuses it', () => {
    const keys = sessionKeyStore({
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {},
    });
    keys.set('a-key-of-sixteen-chars');
    expect(keys.get()).toBe('a-key-of-sixteen-chars');
  });
});
