import { z } from '@hono/zod-openapi';

// The shapes of the insight routes' answers, for the OpenAPI document.

const range = z.object({ from: z.string(), to: z.string(), timezone: z.string() }).nullable();

export const insightSchemas = {
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
