import { bearerSecurity, jsonResponse, limitReachedResponse, locationHeader, problemExample, problemResponses } from '@budgeting/platform/routes';
import { problemType } from '@budgeting/platform';
import { createRoute } from '@hono/zod-openapi';
import { CALENDAR_FEED_CACHE_CONTROL, CALENDAR_FEED_DAYS, CALENDAR_FEED_RATE_WINDOW_SECONDS, CALENDAR_FEED_READS_PER_HOUR, MAX_CALENDAR_FEEDS_PER_MEMBER } from '../domain/calendar-feed';
import { MAX_UPCOMING } from '../domain/scheduled';
import { CalendarFeedListSchema, CalendarFeedParams, CalendarFeedSchema, CalendarText, CreatedCalendarFeedSchema } from '../schemas/calendar-feeds.schemas';
import { BudgetParams } from '../schemas/expenses.schemas';

/**
 * Calendar feeds of a budget's upcoming bills (service/calendar-feeds.service.ts): managed by
 * each member with their bearer token, read by calendar apps through the feed's secret URL.
 */
const TAG = 'Calendar feeds';

const FEED =
  `An iCalendar feed of the budget's recurring expenses still to record in the next ${CALENDAR_FEED_DAYS} days (today in the budget's time zone included; at most the first ${MAX_UPCOMING}), ` +
  'each an all-day event on its date with the merchant (else the description) and the amount in the budget\'s currency as its title. ';

export const createCalendarFeed = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/calendar-feeds',
  operationId: 'createCalendarFeed',
  tags: [TAG],
  summary: 'Create a calendar feed of the upcoming bills',
  description:
    `Any member, for themself. ${FEED}` +
    'The answer\'s `url` is the feed: a calendar app reads it without signing in, so it is shown only this once (store it in the calendar app; only a hash of its secret is kept). ' +
    `It works while the feed exists and its creator is a member of the budget: revoke it with DELETE; leaving the budget, being removed, deleting the account or the budget ends it too. At most ${MAX_CALENDAR_FEEDS_PER_MEMBER} feeds per member and budget (409 past that). Not on an archived budget (409 \`budget-archived\`: its feed would list no bill). ` +
    'No `Idempotency-Key`: the answer holds the secret, which no stored replay may keep; a retry makes another feed (revoke the one you did not get).',
  security: bearerSecurity,
  request: { params: BudgetParams },
  responses: {
    // Location: the feed as this member manages it (DELETE revokes it); `url` is what a calendar app reads.
    201: { ...jsonResponse(CreatedCalendarFeedSchema, 'The feed, with its URL (shown once)'), headers: { ...locationHeader } },
    409: limitReachedResponse(
      { collection: 'calendarFeeds', limit: MAX_CALENDAR_FEEDS_PER_MEMBER, detail: `You can have at most ${MAX_CALENDAR_FEEDS_PER_MEMBER} calendar feeds of a budget; delete one first.` },
      '`budget-archived` on an archived budget',
    ),
    ...problemResponses(400, 401, 403, 404),
  },
});

export const listCalendarFeeds = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/calendar-feeds',
  operationId: 'listCalendarFeeds',
  tags: [TAG],
  summary: 'Your calendar feeds of a budget',
  description: `Any member: their own feeds of the budget (at most ${MAX_CALENDAR_FEEDS_PER_MEMBER}), oldest first; never a URL (shown only at creation).`,
  security: bearerSecurity,
  request: { params: BudgetParams },
  responses: {
    200: jsonResponse(CalendarFeedListSchema, 'Your feeds'),
    ...problemResponses(400, 401, 404),
  },
});

export const getOwnCalendarFeed = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/calendar-feeds/{feedId}',
  operationId: 'getOwnCalendarFeed',
  tags: [TAG],
  summary: 'One of your calendar feeds of a budget',
  description:
    "Any member, one of their own feeds (the create's `Location`), as the list shows it: never its URL (shown only at creation). " +
    "Another member's feed is a 404, as at DELETE. No ETag: a feed never changes, only its revocation.",
  security: bearerSecurity,
  request: { params: CalendarFeedParams },
  responses: {
    200: jsonResponse(CalendarFeedSchema, 'Your feed'),
    ...problemResponses(400, 401, 404),
  },
});

export const revokeCalendarFeed = createRoute({
  method: 'delete',
  path: '/v1/budgets/{budgetId}/calendar-feeds/{feedId}',
  operationId: 'revokeCalendarFeed',
  tags: [TAG],
  summary: 'Revoke a calendar feed',
  description: 'Any member, one of their own feeds: its URL answers 404 from now on (calendar apps keep what they last read until they give up on it).',
  security: bearerSecurity,
  request: { params: CalendarFeedParams },
  responses: {
    204: { description: 'Revoked' },
    ...problemResponses(400, 401, 403, 404),
  },
});

/**
 * The feed itself. Public: the token in the path is the credential. Its path parameter is
 * declared by hand: Hono reads `{token}.ics` as one parameter named `token.ics` (so no zod
 * validator; the handler takes the segment and the service parses it, a bad one being a 404).
 */
/** What the feed's 200 and 304 both carry. */
const FEED_HEADERS = {
  ETag: { description: 'The feed\'s content hash, for If-None-Match; weak (`W/"..."`) on a feed past 256 KiB sent compressed (a content coding makes another representation, RFC 9110 8.8.3).', schema: { type: 'string' as const, example: '"Hn3eV0pXzq3l2sQb1x9aK4wY7cT"' } },
  'Cache-Control': { description: `Always \`${CALENDAR_FEED_CACHE_CONTROL}\`.`, schema: { type: 'string' as const, example: CALENDAR_FEED_CACHE_CONTROL } },
};

export const getCalendarFeed = createRoute({
  method: 'get',
  path: '/v1/calendar/{token}.ics',
  operationId: 'getCalendarFeed',
  tags: [TAG],
  summary: 'Read a calendar feed (iCalendar)',
  description:
    `No bearer token: the URL from POST /v1/budgets/{budgetId}/calendar-feeds is the credential. ${FEED}` +
    'Each event\'s UID is the recurring expense\'s id, the date and the budget\'s id, so a re-read replaces events rather than adding them; an occurrence leaves the feed once it is recorded as an expense (or skipped, or its recurring expense paused or deleted). ' +
    `\`ETag\` and \`Cache-Control: ${CALENDAR_FEED_CACHE_CONTROL}\`; If-None-Match with the ETag gets 304. ` +
    'A revoked feed, a deleted budget, a creator no longer member, or any unknown token: 404, alike. ' +
    'The budget\'s time zone is `X-WR-TIMEZONE` and, as the calendar\'s first component, a `VTIMEZONE` of its offsets over those days (so a calendar with no bill still holds a component, as RFC 5545 wants). ' +
    'An archived budget\'s feed is a valid calendar with no event and an `X-WR-CALDESC` saying so (its bills are not recorded while it is archived); they come back on unarchiving. ' +
    `At most ${CALENDAR_FEED_READS_PER_HOUR} reads of one feed per hour (clock hours): past them, 429 with Retry-After until the hour ends.`,
  security: [],
  parameters: [
    {
      name: 'token',
      in: 'path',
      required: true,
      description: 'The feed\'s token, as in its URL (`<budgetId>.<userId>.<feedId>.<secret>`).',
      schema: { type: 'string' },
      example: '01JDBUDGET00000000000000001.01JDQ40M2XKX3G9T5N7B8C6D4E.01JDCALFEED0000000000000001.q3Xb0m9hY2lqQWZ0ZXJ0aGlzaXNqdXN0YW5leGFtcGw',
    },
    {
      name: 'if-none-match',
      in: 'header',
      required: false,
      description: 'The ETag of the feed you hold: 304 Not Modified, with no body, when the feed is unchanged.',
      schema: { type: 'string' },
    },
  ],
  responses: {
    200: {
      description: 'The feed (RFC 5545, UTF-8, CRLF line ends, long lines folded)',
      headers: FEED_HEADERS,
      content: { 'text/calendar': { schema: CalendarText } },
    },
    // RFC 9110 15.4.5: a 304 carries the ETag and Cache-Control the 200 would have.
    304: { description: 'Not Modified: If-None-Match names the current feed; no body', headers: FEED_HEADERS },
    ...problemResponses(404),
    429: {
      ...problemExample(`More than ${CALENDAR_FEED_READS_PER_HOUR} reads of this feed this hour; see the Retry-After header (and RateLimit).`, {
        type: problemType('too-many-requests'),
        title: 'Too many requests',
        status: 429,
        detail: `More than ${CALENDAR_FEED_READS_PER_HOUR} reads of this calendar feed in ${CALENDAR_FEED_RATE_WINDOW_SECONDS} seconds; retry after the window ends.`,
      }),
      // The feed's own limit (the service's rateLimitHeaders): the document gives these fields only
      // to the authenticated operations' 429s (openapi-finish.ts), and this one has no bearer token.
      headers: {
        'RateLimit-Policy': {
          description: `The feed's read limit: \`q\` reads of this feed in each window of \`w\` seconds.`,
          schema: { type: 'string' as const, example: `"user";q=${CALENDAR_FEED_READS_PER_HOUR};w=${CALENDAR_FEED_RATE_WINDOW_SECONDS}` },
        },
        RateLimit: {
          description: 'What is left of the limit: `r` reads remaining until the window ends in `t` seconds.',
          schema: { type: 'string' as const, example: `"user";r=0;t=1800` },
        },
      },
    },
  },
});
