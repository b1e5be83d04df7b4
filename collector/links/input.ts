import { z } from '@hono/zod-openapi';
import { storableText } from '../store/storable-text.ts';

/**
 * What a tracked link is made of, checked before anything is stored. Codes and
 * profile names are a strict set of characters, so that nothing in a request
 * path can reach a header or a page unescaped; targets are absolute http(s)
 * URLs, the only place a link ever leads.
 */

/** Letters, digits, `_` and `-`, 1 to 64: a code or a profile name. */
export const NAME = /^[A-Za-z0-9_-]{1,64}$/;

export const LINK_LIMITS = { urlLength: 2048, titleLength: 200, utmLength: 200 } as const;

/** The target as stored (normalized by the URL parser), or the reason it cannot be one. */
export function readTarget(text: string): { url: string } | { reason: string } {
  // The URL parser drops tabs and line breaks silently; a target with any is refused rather than guessed at.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(text)) return { reason: 'must not contain spaces, control characters or backslashes' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { reason: 'expected an absolute URL such as https://example.com/page' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { reason: `only http and https links are allowed (got ${url.protocol})` };
  if (!url.hostname) return { reason: 'has no host' };
  // `https://bank.example@evil.example` reads as the bank and leads elsewhere.
  if (url.username || url.password) return { reason: 'must not contain a user name or password' };
  if (url.href.length > LINK_LIMITS.urlLength) return { reason: `longer than ${LINK_LIMITS.urlLength} characters` };
  return { url: url.href };
}

const name = () => z.string().regex(NAME, '1 to 64 letters, digits, "_" or "-"');

export const codeSchema = name().openapi({
  description: "The short link's path: `/l/CODE`. Generated (7 characters) when not given.",
  example: 'spring-sale',
});
export const profileSchema = name().openapi({ description: 'Lists the link on the public page `/p/PROFILE`.', example: 'acme' });

export const targetSchema = z
  .string()
  .max(LINK_LIMITS.urlLength, `longer than ${LINK_LIMITS.urlLength} characters`)
  .superRefine((value, ctx) => {
    const read = readTarget(value);
    if ('reason' in read) ctx.addIssue({ code: 'custom', message: read.reason });
  })
  .transform((value) => (readTarget(value) as { url: string }).url)
  .openapi({ description: 'Where the link leads: an absolute http(s) URL.', example: 'https://shop.example/spring' });

// Stored as events' text is: U+0000 and lone surrogates as U+FFFD, which every database holds.
const utmValue = z
  .string()
  .min(1, 'is empty')
  .max(LINK_LIMITS.utmLength, `longer than ${LINK_LIMITS.utmLength} characters`)
  .transform(storableText);

/** UTM parameters added to the target on every redirect. */
export const utmSchema = z
  .strictObject({
    source: utmValue.optional(),
    medium: utmValue.optional(),
    campaign: utmValue.optional(),
    term: utmValue.optional(),
    content: utmValue.optional(),
  })
  .openapi('LinkUtm', {
    description: "Added to the target as `utm_source`, `utm_medium`, … (replacing the target's own).",
    example: { source: 'newsletter', medium: 'email' },
  });

export type Utm = z.infer<typeof utmSchema>;

const title = z.string().max(LINK_LIMITS.titleLength, `longer than ${LINK_LIMITS.titleLength} characters`).transform(storableText);

export const createLinkSchema = z
  .strictObject({
    site_id: z.string().min(1, 'is required').openapi({ example: 'shop.example' }),
    target_url: targetSchema,
    code: codeSchema.optional(),
    title: title.nullish().openapi({ description: 'Shown on the profile page and the dashboard.', example: 'Spring sale' }),
    profile: profileSchema.nullish(),
    utm: utmSchema.nullish(),
  })
  .openapi('LinkCreate');

export const updateLinkSchema = z
  .strictObject({
    target_url: targetSchema.optional(),
    title: title.nullish(),
    profile: profileSchema.nullish(),
    utm: utmSchema.nullish(),
  })
  .refine((v) => Object.keys(v).length > 0, 'give at least one of target_url, title, profile, utm')
  .openapi('LinkUpdate', { description: 'The fields to change; `null` clears title, profile or utm. The code and site stay.' });

/** The target with the link's UTM parameters set, as the redirect sends it. */
export function redirectTarget(target: string, utm: Utm | null): string {
  if (!utm) return target;
  const url = new URL(target);
  for (const [key, value] of Object.entries(utm)) if (value) url.searchParams.set(`utm_${key}`, value);
  return url.href;
}
