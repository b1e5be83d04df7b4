/** A key of `FOOTFALL_API_KEYS`: every role, on every site or on the sites listed. */
export interface ApiKey {
  readonly key: string;
  /** null: every site. */
  readonly sites: readonly string[] | null;
}

const KEY = /^[A-Za-z0-9._~+/=-]{16,256}$/;

/**
 * Parses `FOOTFALL_API_KEYS`: a comma list of keys, each optionally limited to
 * sites with `:site1|site2`, e.g. `k3Y...all-sites, s3cr3t...:shop|blog`.
 * Keys are 16 to 256 characters of letters, digits and `._~+/=-`.
 */
export function parseApiKeys(value: string | undefined): readonly ApiKey[] {
  const keys: ApiKey[] = [];
  for (const entry of (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf(':');
    const key = at === -1 ? entry : entry.slice(0, at);
    const sites =
      at === -1
        ? null
        : entry
            .slice(at + 1)
            .split('|')
            .map((s) => s.trim())
            .filter(Boolean);
    if (!KEY.test(key)) throw new Error(`a key must be 16 to 256 characters of letters, digits and ._~+/=- (got one of ${key.length})`);
    if (sites !== null && sites.length === 0) throw new Error(`key ${key.slice(0, 4)}…: no sites after ":"`);
    keys.push(Object.freeze({ key, sites: sites && Object.freeze(sites) }));
  }
  return Object.freeze(keys);
}
