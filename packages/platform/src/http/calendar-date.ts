import { z } from '@hono/zod-openapi';
import { MAX_DATE, MIN_DATE, isCalendarDate } from '../dates';

/**
 * The one schema of a calendar date in bodies and queries. One error per bad value: a value
 * that is not a date at all is not also told it is out of range (`abort`).
 */
export const calendarDate = () =>
  z
    .string()
    .refine(isCalendarDate, { error: 'Must be a real calendar date YYYY-MM-DD', abort: true })
    .refine((d) => d >= MIN_DATE && d <= MAX_DATE, { error: `Must be between ${MIN_DATE} and ${MAX_DATE}` })
    .openapi({ format: 'date', example: '2026-11-24' });
