import { z } from '@hono/zod-openapi';
import { storableText } from '../store/storable-text.ts';

/** Most goals a site may have: every goal is a column of the one query that counts them all. */
export const MAX_GOALS = 100;
/** A funnel's steps, at least and at most. */
export const FUNNEL_STEPS = { min: 2, max: 8 } as const;
/** Goal and funnel bodies are a few fields: well within this. */
export const GOAL_BODY_BYTES = 16 * 1024;

// Funnels list goals by name, separated by commas (`steps=Visit,Signup`): a name holds none.
const goalName = z
  .string()
  .trim()
  .min(1, 'is empty')
  .max(64, 'is longer than 64 characters')
  .refine((s) => !/[,\p{Cc}]/u.test(s), 'holds a comma or a control character')
  .transform(storableText);

const text = (max: number) => z.string().min(1, 'is empty').max(max, `is longer than ${max} characters`).transform(storableText);

const siteId = z.string().min(1, 'is required').openapi({ example: 'shop.example' });

export const goalInputSchema = z
  .object({
    site_id: siteId,
    name: goalName.openapi({ example: 'Signup' }),
    page: text(2048)
      .optional()
      .openapi({ description: 'Page views of this path; `*` stands for any run of characters (`/checkout/*`).', example: '/checkout/*' }),
    event: text(120)
      .refine((s) => s !== 'pageview' && s !== 'engagement', 'is a name every visit has, not a goal')
      .optional()
      .openapi({ description: 'Events of this name (custom events and clicks).', example: 'Signup' }),
    property: z
      .object({ key: text(64), value: text(2048) })
      .optional()
      .openapi({
        description: 'Only the page views or events whose custom property `key` reads `value`.',
        example: { key: 'plan', value: 'pro' },
      }),
  })
  .refine((g) => (g.page === undefined) !== (g.event === undefined), { message: 'give exactly one of page and event', path: ['page'] })
  .openapi('GoalInput');

export const funnelInputSchema = z
  .object({
    site_id: siteId,
    name: goalName.openapi({ example: 'Checkout' }),
    steps: z
      .array(goalName)
      .min(FUNNEL_STEPS.min, `has fewer than ${FUNNEL_STEPS.min} steps`)
      .max(FUNNEL_STEPS.max, `has more than ${FUNNEL_STEPS.max} steps`)
      .openapi({ description: 'Goal names, in order.', example: ['Pricing', 'Signup', 'Purchase'] }),
  })
  .openapi('FunnelInput');

export const goalSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    page: z.string().nullable(),
    event: z.string().nullable(),
    property: z.object({ key: z.string(), value: z.string() }).nullable(),
  })
  .openapi('Goal');

export const funnelSchema = z.object({ id: z.number().int(), name: z.string(), steps: z.array(z.string()) }).openapi('Funnel');

/** A goal as the API shows it. */
export type GoalAnswer = z.output<typeof goalSchema>;
/** A saved funnel as the API shows it: its steps by goal name. */
export type FunnelAnswer = z.output<typeof funnelSchema>;
