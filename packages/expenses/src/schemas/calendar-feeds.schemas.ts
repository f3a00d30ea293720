import { z } from '@hono/zod-openapi';
import { ID_MAX, budgetId } from './expenses.schemas';

/** POST|GET /v1/budgets/{budgetId}/calendar-feeds, DELETE .../{feedId}, GET /v1/calendar/{token}.ics. */

const EXAMPLE_FEED_ID = '01JDCALFEED0000000000000001';
const EXAMPLE_URL =
  'https://api.example.com/v1/calendar/01JDBUDGET00000000000000001.01JDQ40M2XKX3G9T5N7B8C6D4E.01JDCALFEED0000000000000001.q3Xb0m9hY2lqQWZ0ZXJ0aGlzaXNqdXN0YW5leGFtcGw.ics';

export const CalendarFeedParams = z
  .object({
    budgetId,
    feedId: z.string().min(1).max(ID_MAX).openapi({ param: { name: 'feedId', in: 'path' }, example: EXAMPLE_FEED_ID }),
  })
  .strict();

const fields = {
  id: z.string().openapi({ example: EXAMPLE_FEED_ID }),
  createdAt: z.string().openapi({ format: 'date-time', example: '2026-12-01T09:30:00.000Z' }),
};

export const CalendarFeedSchema = z.object(fields).openapi('CalendarFeed');

export const CreatedCalendarFeedSchema = z
  .object({
    ...fields,
    url: z.string().openapi({
      format: 'uri',
      example: EXAMPLE_URL,
      description:
        'The feed to subscribe to in a calendar app (Google Calendar "From URL", Apple Calendar "New Calendar Subscription", Outlook "Subscribe from web"; `webcal://` instead of `https://` opens the app directly). ' +
        'Shown only this once: it is the credential (anyone holding it sees the budget\'s upcoming bills), and only a hash of its secret is stored.',
    }),
  })
  .openapi('CreatedCalendarFeed');

export const CalendarFeedListSchema = z
  .object({ items: z.array(CalendarFeedSchema) })
  .openapi('CalendarFeedList', { example: { items: [{ id: EXAMPLE_FEED_ID, createdAt: '2026-12-01T09:30:00.000Z' }] } });

/** The feed itself: iCalendar text (its shape is RFC 5545's, not a schema's). */
export const CalendarText = z.string().openapi({
  // As calendarText writes it (folded at 75 octets; the calendar's properties, then its zone, then its events).
  example:
    'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Budgeting//Bills//EN\r\nNAME:Household\r\nX-WR-CALNAME:Household\r\n' +
    'REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\nX-PUBLISHED-TTL:PT6H\r\nX-WR-TIMEZONE:Europe/Berlin\r\n' +
    'BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:20261202T000000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n' +
    'BEGIN:VEVENT\r\nUID:01JDRECURRING00000000000001-2026-12-05@01JDBUDGET00000000000000001.bud\r\n geting\r\n' +
    'SEQUENCE:0\r\nDTSTAMP:20261201T230000Z\r\nDTSTART;VALUE=DATE:20261205\r\nDTEND;VALUE=DATE:20261206\r\n' +
    'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE\r\nX-MICROSOFT-MSNCALENDAR-ALLDAYEVENT:TRUE\r\nSUMMARY:Rent: 1200.00 EUR\r\nTRANSP:TRANSPARENT\r\n' +
    'DESCRIPTION:Category: Housing\\nA recurring expense of this budget\\, not re\r\n corded yet.\r\nEND:VEVENT\r\n' +
    'END:VCALENDAR\r\n',
});
