import { isIP } from 'node:net';

/**
 * Which address is the client's: the socket's (nothing in front of Footfall),
 * the one the last `hops` proxies appended to `X-Forwarded-For`, or the whole
 * value of a header a proxy sets (`CF-Connecting-IP`, `X-Real-IP`).
 */
export type TrustProxy =
  | { readonly kind: 'none' }
  | { readonly kind: 'hops'; readonly hops: number }
  | { readonly kind: 'header'; readonly header: string };

/**
 * Parses `TRUST_PROXY`: unset, `false` or `0` (the socket), `true` (one proxy),
 * a number of proxies, or the name of a header holding the client address.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = value?.trim().toLowerCase() ?? '';
  if (v === '' || v === 'false' || v === '0' || v === 'no' || v === 'off') return { kind: 'none' };
  if (v === 'true' || v === 'yes' || v === 'on' || v === 'x-forwarded-for') return { kind: 'hops', hops: 1 };
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 20) throw new Error(`${v} proxies is more than any real chain; expected false, true, a number up to 20 or a header name`);
    return { kind: 'hops', hops };
  }
  if (/^[a-z0-9-]+$/.test(v)) return { kind: 'header', header: v };
  throw new Error(`"${value}" is not false, true, a number of proxies, or a header name such as CF-Connecting-IP`);
}

/**
 * The client's address. A forwarded value that is not an IP address (a
 * misconfigured or lying proxy) falls back to the socket's.
 */
export function resolveClientIp(trust: TrustProxy, socketIp: string, header: (name: string) => string | undefined): string {
  if (trust.kind === 'none') return socketIp;
  if (trust.kind === 'header') {
    const value = header(trust.header)?.trim();
    return value && isIP(value) ? value : socketIp;
  }
  const forwarded = header('x-forwarded-for');
  if (!forwarded) return socketIp;
  const chain = forwarded.split(',');
  // Each trusted proxy appended the address it received from: the client is `hops` from the end.
  const candidate = chain[Math.max(0, chain.length - trust.hops)]?.trim() ?? '';
  return isIP(candidate) ? candidate : socketIp;
}
