/**
 * Calendar feed URLs as text (pure: no table, no clock). A calendar app cannot send an
 * Authorization header, so the feed's URL is its credential:
 * `/v1/calendar/<budgetId>.<userId>.<feedId>.<secret>.ics`. The ids only say which item to read
 * (the feed lives in the budget's expense partition under its member, so the budget.deleted
 * cleanup removes it with the expenses and a member's feeds are one Query); the secret (32
 * random bytes, base64url) is the proof, and only its SHA-256 is stored (platform
 * secret-hash.ts, as personal access tokens). Base64url has no `.`, so the parts split cleanly.
 */

/** At most this many feeds per member per budget (one per calendar app and device is plenty). */
export const MAX_CALENDAR_FEEDS_PER_MEMBER = 5;

/** A feed lists the occurrences of the next this many days, today (in the budget's time zone) included. */
export const CALENDAR_FEED_DAYS = 90;

/**
 * Reads of one feed per hour (CALENDAR_FEED_RATE_WINDOW_SECONDS) before 429: calendar apps poll
 * every few hours (and a 5-minute private cache spares quick re-polls), so a handful of
 * subscribed devices stays far below it, while a leaked URL polled in a loop stops costing a
 * BatchGetItem and a Query per request after 60.
 */
export const CALENDAR_FEED_READS_PER_HOUR = 60;
export const CALENDAR_FEED_RATE_WINDOW_SECONDS = 3_600;

/** The feed's key in its rate limiter (the platform's per-caller RateLimiter, the feed being the caller). */
export const calendarFeedRateKey = (feedId: string): string => `calendar-feed:${feedId}`;

/** `Cache-Control` of a feed: calendar apps poll every few hours; a 5-minute private cache spares the Query of a quick re-poll. */
export const CALENDAR_FEED_CACHE_CONTROL = 'private, max-age=300';

const ID = '[0-9A-Za-z]{1,64}';
/** 32 bytes in unpadded base64url: 42 characters of 6 bits and a last one holding 4 bits (so one of 16 letters). */
const SECRET = '[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]';
const SHAPE = new RegExp(`^(${ID})\\.(${ID})\\.(${ID})\\.(${SECRET})$`);

export interface CalendarFeedToken {
  budgetId: string;
  userId: string;
  feedId: string;
  secret: string;
}

/** The token of a feed's URL (the path segment before `.ics`). */
export function formatCalendarFeedToken(t: CalendarFeedToken): string {
  return `${t.budgetId}.${t.userId}.${t.feedId}.${t.secret}`;
}

/** The parts of a token, or null when it cannot be one (then nothing is read). */
export function parseCalendarFeedToken(token: string): CalendarFeedToken | null {
  const match = SHAPE.exec(token);
  if (!match) return null;
  return { budgetId: match[1]!, userId: match[2]!, feedId: match[3]!, secret: match[4]! };
}

/** The path of a feed's URL. */
export const calendarFeedPath = (token: string): string => `/v1/calendar/${token}.ics`;
