import type { Context } from 'hono';

const PROTO = /^https?$/;
const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/**
 * The address to share for a code, `https://stats.example.com/l/CODE`: the
 * origin the request was made to, as a proxy in front says it
 * (`X-Forwarded-Proto`, `X-Forwarded-Host`) when it does. Only shown to the
 * key holder who asked: where a link leads never depends on a header.
 */
export function shortUrl(c: Context, code: string): URL {
  const url = new URL(`/l/${code}`, c.req.url);
  const proto = first(c.req.header('x-forwarded-proto'))?.toLowerCase();
  const host = first(c.req.header('x-forwarded-host'));
  if (proto && PROTO.test(proto)) url.protocol = `${proto}:`;
  if (host && HOST.test(host)) url.host = host;
  return url;
}

const first = (value: string | undefined) => value?.split(',')[0]?.trim() || undefined;
