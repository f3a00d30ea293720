import { z } from '@hono/zod-openapi';
import { UNSUBSCRIBE_KINDS } from '../domain/unsubscribe-token';

export const UnsubscribeParams = z.object({
  token: z
    .string()
    .max(200)
    .openapi({ param: { name: 'token', in: 'path' }, example: '01JD3Y8Q7F4K2M9N5P6R8S0T1V.reports.2vKq9xW3mZ8bN1cL4dF6gA', description: "The token of the mail's List-Unsubscribe URL: whose mail and which kind, signed." }),
});

export const UnsubscribedSchema = z
  .object({
    unsubscribed: z.enum(UNSUBSCRIBE_KINDS).openapi({ description: '`reports`: notifications.email.reports is now off; `budget-alerts`: notifications.email.budgetAlerts.' }),
  })
  .openapi('Unsubscribed', { example: { unsubscribed: 'reports' } });
