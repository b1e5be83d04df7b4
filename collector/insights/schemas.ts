import { z } from '@hono/zod-openapi';

// The shapes of the insight routes' answers, for the OpenAPI document.

const range = z.object({ from: z.string(), to: z.string(), timezone: z.string() }).nullable();

const model = z
  .object({ name: z.string(), alpha: z.number(), beta: z.number(), gamma: z.number(), sigma: z.number(), aic: z.number() })
  .nullable()
  .openapi({ description: 'The model chosen, its smoothing parameters, and the residual deviation on the log(1 + y) scale.' });

export const insightSchemas = {
  insights: z.object({
    site_id: z.string(),
    range,
    findings: z.array(
      z.object({
        kind: z.enum(['spike', 'drop', 'mover', 'new_referrer', 'conversion']),
        score: z
          .number()
          .openapi({ description: 'How strongly it stands out: a z score (new sources: the square root of their visitors).' }),
        sentence: z.string(),
        view: z
          .object({ filters: z.string(), from: z.string(), to: z.string() })
          .openapi({ description: 'The filtered view that shows it.' }),
        numbers: z.record(z.string(), z.unknown()),
        reproduce: z.array(z.string()).openapi({ description: 'Read-API calls whose answers hold these numbers.' }),
      }),
    ),
  }),
  forecast: z.object({
    site_id: z.string(),
    metric: z.string(),
    currency: z.string().optional().openapi({ description: 'For `metric=revenue`: the currency forecast.' }),
    timezone: z.string(),
    history: z.object({ from: z.string(), to: z.string(), days: z.number() }).nullable(),
    model,
    results: z.array(
      z.object({
        date: z.string(),
        value: z.number().openapi({ description: 'The median forecast.' }),
        lower_80: z.number(),
        upper_80: z.number(),
        lower_95: z.number(),
        upper_95: z.number(),
      }),
    ),
    reason: z.string().optional().openapi({ description: 'Why `results` is empty: too little history.' }),
  }),
  heatmap: z.object({
    site_id: z.string(),
    range,
    cells: z.array(
      z.object({
        weekday: z.number().openapi({ description: '0 = Monday … 6 = Sunday.' }),
        hour: z.number().openapi({ description: "0–23, the site's clock." }),
        visitors: z.number().openapi({ description: "Sum of the visitors of the range's hours in this cell." }),
        pageviews: z.number(),
      }),
    ),
    best_windows: z.array(
      z.object({
        label: z.string().openapi({ example: 'Tuesday 09:00–11:00' }),
        weekday: z.number(),
        from_hour: z.number(),
        to_hour: z.number(),
        visitors: z.number(),
        pageviews: z.number(),
      }),
    ),
  }),
};
