import { createHash } from 'node:crypto';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { StoredLink } from './repository.ts';

/**
 * The pages the public sees: a profile's links (link-in-bio), and what an
 * unknown or removed link says. Every stored string is escaped by `html`; the
 * one inline style is allowed by its hash and nothing else may run or load.
 */

const STYLE = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
body{margin:0;min-height:100vh;display:flex;justify-content:center;background:Canvas;color:CanvasText}
main{width:100%;max-width:34rem;padding:3rem 1.25rem;text-align:center}
h1{font-size:1.5rem;margin:0 0 2rem}
ul{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}
a.link{display:block;padding:1rem 1.25rem;border:2px solid currentColor;border-radius:.75rem;color:inherit;text-decoration:none;font-weight:600;overflow-wrap:anywhere}
a.link:hover,a.link:focus-visible{background:CanvasText;color:Canvas}
p{line-height:1.5}
footer{margin-top:3rem;font-size:.8rem;opacity:.7}
`;

export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every page here: the policy above, no sniffing, no indexing of short links. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': PAGE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Cache-Control': 'no-store',
});

function page(title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>${raw(STYLE)}</style>
</head>
<body><main>${body}</main></body>
</html>
`;
}

/** What a link reads as on a page: its title, else its target without the scheme. */
export function linkLabel(link: Pick<StoredLink, 'title' | 'target_url'>): string {
  return link.title || link.target_url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

/** A profile's public page; its links go through `/l/CODE`, so every click is counted. */
export function profilePage(profile: string, links: readonly StoredLink[]) {
  // Relative to /p/PROFILE, so a collector served under a path prefix works too.
  const items = links.map((link) => html`<li><a class="link" href="../l/${link.code}">${linkLabel(link)}</a></li>`);
  return page(profile, html`<h1>${profile}</h1><ul>${items}</ul><footer>Counted without cookies by Footfall</footer>`);
}

/** The 404 of an unknown code or profile. */
export function notFoundPage(what: 'link' | 'page') {
  return page(`No such ${what}`, html`<h1>No such ${what}</h1><p>This ${what} does not exist. Check the address you were given.</p>`);
}

/** The 410 of a removed link. */
export function removedPage() {
  return page('Link removed', html`<h1>This link was removed</h1><p>Whoever shared it has taken it down.</p>`);
}
