/**
 * summary-floor-openapi.ts without zod: the same route on a plain Hono app, its path and query
 * checked by hand. With the other two floors, what zod costs a cold summary
 * (bench/ab-cold-summary.ts --floors).
 */
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { answerSummary } from './summary-floor-answer';

const app = new Hono();
app.get('/v1/budgets/:budgetId/summary', async (c) => {
  const date = c.req.query('date');
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) return c.json({ error: 'date' }, 400);
  return answerSummary(c, c.req.param('budgetId'));
});
export const handler = handle(app);
