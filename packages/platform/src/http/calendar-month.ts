import { z } from '@hono/zod-openapi';
import { MAX_MONTH, MIN_MONTH, isCalendarMonth } from '../dates';

/**
 * The one schema of a calendar month (YYYY-MM) in bodies and queries, the month of calendarDate:
 * the same range (1900-01..9998-12, so year 0000 is a 400 as 0000-01-01 is), and one error per
 * bad value (`abort`: a value that is no month is not also told it is out of range).
 */
export const calendarMonth = () =>
  z
    .string()
    .refine(isCalendarMonth, { error: 'Must be a month as YYYY-MM', abort: true })
    .refine((m) => m >= MIN_MONTH && m <= MAX_MONTH, { error: `Must be between ${MIN_MONTH} and ${MAX_MONTH}` })
    .openapi({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', example: '2026-11' });
