import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bufferBody, parseJsonBody } from '../read-body.ts';
import { Refusal } from '../refusal.ts';
import { errorBodySchema, fieldErrors } from '../responses.ts';
import { EXTENSION, HOSTNAME, SITE_ID } from '../sites.ts';
import { isValidTimeZone } from '../timezone.ts';

/** A site's settings, a key's or a share's: a few kilobytes at most. */
export const ADMIN_BODY_BYTES = 16 * 1024;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
export const error = (description: string) => json(errorBodySchema, description);

/** The JSON body the access check already bounded, validated by `schema`; a 400 names each field and reason. */
export async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const body = parseJsonBody(await bufferBody(c, ADMIN_BODY_BYTES));
  if ('error' in body) throw new Refusal(400, [body.error]);
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) throw new Refusal(400, fieldErrors(parsed.error));
  return parsed.data;
}

export const siteIdSchema = z.string().regex(SITE_ID, 'is not a site id (letters, digits, ".", "_", "-"; up to 100)');
const hostname = z
  .string()
  .transform((d) => d.trim().toLowerCase())
  .pipe(z.string().regex(HOSTNAME, 'is not a hostname (`*.` for subdomains)'));
const extension = z
  .string()
  .transform((e) => e.trim().toLowerCase().replace(/^\./, ''))
  .pipe(z.string().regex(EXTENSION, 'is not a file extension (letters and digits, up to 16)'));

/** A site's settings as the API takes them; each optional (PATCH changes what it names). */
export const siteSettingsSchema = z
  .object({
    domains: z.array(hostname).max(100).optional().openapi({ description: 'Hostnames its pages are served from; empty: any.' }),
    timezone: z
      .string()
      .refine(isValidTimeZone, 'is not an IANA time zone such as Europe/Berlin')
      .optional()
      .openapi({ example: 'Europe/Berlin' }),
    public: z.boolean().optional().openapi({ description: 'Stats readable by anyone, without a key.' }),
    downloads: z
      .array(extension)
      .min(1)
      .max(100)
      .nullable()
      .optional()
      .openapi({ description: 'Extensions whose links count as downloads; null: the default list.' }),
    aliases: z
      .object({
        plausible: z
          .string()
          .min(1)
          .max(2000)
          .optional()
          .openapi({ description: "Domains Plausible's tracker names it by, joined by `|`" }),
        umami: z
          .string()
          .uuid('is not an Umami website id')
          .optional()
          .openapi({ description: "The Umami website id Umami's tracker names it by" }),
      })
      .strict()
      .optional()
      .openapi({ description: 'Names other tools know the site by', example: { plausible: 'shop.example' } }),
  })
  .strict();

export const createSiteSchema = siteSettingsSchema.extend({ site_id: siteIdSchema }).strict().openapi('SiteInput');
export const updateSiteSchema = siteSettingsSchema.extend({ site_id: z.string().optional() }).strict().openapi('SiteChange');
