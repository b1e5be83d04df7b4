import type { FieldError } from '../../responses.ts';

/** The stats API over fetch, with the API key the person gave for this tab. */

/** A refused or failed request: `status` 0 when the collector could not be reached at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Where the key is kept: the tab's sessionStorage, so it is asked once and forgotten with the tab. */
export interface KeyStore {
  get(): string | null;
  set(key: string | null): void;
}

const KEY_NAME = 'footfall.apiKey';

export function sessionKeyStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null): KeyStore {
  let memory: string | null = null;
  return {
    get() {
      try {
        return storage?.getItem(KEY_NAME) ?? memory;
      } catch {
        return memory;
      }
    },
    set(key) {
      memory = key;
      try {
        if (key === null) storage?.removeItem(KEY_NAME);
        else storage?.setItem(KEY_NAME, key);
      } catch {
        // Storage refused (private mode, quota): the key lives in memory for this page.
      }
    },
  };
}

export interface Api {
  /** GET a path with query parameters, parsed as JSON. */
  json<T>(path: string, params?: URLSearchParams): Promise<T>;
  /** GET a path as text (CSV). */
  text(path: string, params?: URLSearchParams): Promise<string>;
  /** A change (POST, PATCH, DELETE) with an optional JSON body; the answer parsed as JSON. */
  send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: object): Promise<T>;
}

export function createApi(fetchFn: typeof fetch, keys: KeyStore): Api {
  async function get(path: string, params: URLSearchParams | undefined, method = 'GET', body?: object): Promise<Response> {
    const key = keys.get();
    const query = params?.toString();
    let res: Response;
    try {
      res = await fetchFn(query ? `${path}?${query}` : path, {
        method,
        headers: {
          Accept: 'application/json, text/csv',
          ...(body ? { 'Content-Type': 'application/json' } : {}),
          ...(key ? { Authorization: `Bearer ${key}` } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'The collector cannot be reached. Is it running?');
    }
    if (!res.ok) throw await toError(res);
    return res;
  }
  return {
    json: async (path, params) => (await get(path, params)).json(),
    text: async (path, params) => (await get(path, params)).text(),
    send: async (method, path, body) => (await get(path, undefined, method, body)).json(),
  };
}

async function toError(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`.trim();
  let errors: FieldError[] = [];
  try {
    const body = (await res.json()) as { message?: unknown; errors?: unknown };
    if (typeof body.message === 'string' && body.message) message = body.message;
    if (Array.isArray(body.errors))
      errors = body.errors.filter((e): e is FieldError => typeof e?.field === 'string' && typeof e?.reason === 'string');
  } catch {
    // Not JSON: the status line says enough.
  }
  return new ApiError(res.status, message, errors);
}
