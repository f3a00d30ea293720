import { z } from '@hono/zod-openapi';
import { isCurrencyCode, isIanaTimeZone, isLocale } from '@budgeting/platform';
import { nameText } from '@budgeting/platform/routes';
import { StepUpCodeSchema } from './mfa.schemas';

/**
 * HTTP bodies of the users module. The same schemas validate requests and produce the
 * OpenAPI document; request objects are strict so unknown fields are refused by name.
 */

/** "Required" for a missing field, "Must be <type>" for a present one of the wrong type. */
export const typed = (expected: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'Required' : `Must be ${expected}`),
});

export const EmailSchema = z
  .string(typed('a string'))
  .trim()
  .toLowerCase()
  .max(254, 'Must be at most 254 characters')
  .pipe(z.email('Must be a valid email address'))
  .openapi({ format: 'email', example: 'ada@example.com', description: 'Case-insensitive; stored trimmed and lower-cased.' });

export const NewPasswordSchema = z
  .string(typed('a string'))
  .min(10, 'Must be at least 10 characters')
  .max(128, 'Must be at most 128 characters')
  .openapi({
    example: 'correct horse battery staple',
    description:
      '10 to 128 characters. Refused (400 naming the field, the reason in its message) when it is a common password (on a list of about ' +
      '49,000 from leaked password sets, compared ignoring letter case and after Unicode NFKC), the account\'s email or the part before the @ (or before a +tag), ' +
      'or the app\'s name "Budgeting" (those alone or followed only by digits, spaces or symbols). Sign-in never checks this: an existing password keeps working.',
  });

/** On sign-in only the upper bound matters: no stored password is longer, and it caps hashing work. */
export const PasswordSchema = z
  .string(typed('a string'))
  .min(1, 'Must not be empty')
  .max(128, 'Must be at most 128 characters')
  .openapi({ example: 'correct horse battery staple' });

/** Normalized (NFC, trimmed, spaces collapsed, zero-width dropped): see the platform's text.ts. */
const NameSchema = nameText(100, typed('a string')).openapi({ example: 'Ada Lovelace' });

const TimeZoneSchema = z
  .string(typed('a string'))
  .refine(isIanaTimeZone, 'Must be an IANA time zone name such as Europe/Berlin')
  .openapi({ example: 'Europe/Berlin', description: 'IANA time zone name, kept as sent; the letter case of the zones the runtime lists is fixed (europe/berlin -> Europe/Berlin). Ids that are no IANA names (BST, IST, SST and the other legacy three-letter ids, SystemV/...) are refused.' });

const CurrencySchema = z
  .string(typed('a string'))
  .refine(isCurrencyCode, 'Must be an ISO 4217 currency code such as USD')
  .openapi({ example: 'EUR', description: 'ISO 4217 code.' });

const LocaleSchema = z
  .string(typed('a string'))
  .refine(isLocale, 'Must be a BCP 47 language tag the server can format for, with a real region if any, such as de-DE, en-GB or fr')
  .openapi({
    example: 'de-DE',
    examples: ['de-DE', 'en-GB', 'fr', 'es-419', 'ja-JP'],
    description:
      'BCP 47 language tag your period reports (the report email and the report page) and notifications (budget alert email and push, ' +
      'bill reminder push and text) are written in: amounts with the currency sign and ' +
      'digit grouping ("1.234,56 €" for de-DE), dates in words ("30.06.2027"), and their words in the tag\'s language when it is ' +
      'English, German (de), French (fr) or Spanish (es) (de-AT: German), else in English. Stored in its canonical spelling (en-gb -> en-GB). ' +
      'A tag the server has no formats for, or whose region is private-use or unknown (en-ZZ, en-XA, en-QM), is refused. ' +
      'null: none; reports and notifications then show plain figures (1234.56, 2027-06-30) in English. JSON answers never change.',
  });

/** The profile's locale as signup and PATCH /v1/me take it: optional, null for none. */
const ProfileLocaleSchema = LocaleSchema.nullable().optional();

const RefreshTokenSchema = z
  .string(typed('a string'))
  .min(1, 'Must not be empty')
  .max(512, 'Must be at most 512 characters')
  .openapi({ example: 'b3JpZ2luYWwtcmFuZG9tLXRva2VuLWV4YW1wbGUtdmFsdWU' });

export const SignupBodySchema = z
  .object({
    email: EmailSchema,
    password: NewPasswordSchema,
    name: NameSchema.optional(),
    timezone: TimeZoneSchema.optional(),
    currency: CurrencySchema.optional(),
    locale: ProfileLocaleSchema,
  })
  .strict()
  .openapi('SignupRequest', {
    example: { email: 'ada@example.com', password: 'correct horse battery staple', name: 'Ada Lovelace', timezone: 'Europe/Berlin', currency: 'EUR', locale: 'de-DE' },
  });

export const LoginBodySchema = z
  .object({ email: EmailSchema, password: PasswordSchema })
  .strict()
  .openapi('LoginRequest');

export const ChangePasswordBodySchema = z
  .object({
    currentPassword: PasswordSchema.openapi({ description: 'The password the account has now.' }),
    newPassword: NewPasswordSchema,
    code: StepUpCodeSchema(),
  })
  .strict()
  .openapi('ChangePasswordRequest', { example: { currentPassword: 'correct horse battery staple', newPassword: 'a much longer passphrase now' } });

export const RefreshBodySchema = z.object({ refreshToken: RefreshTokenSchema }).strict().openapi('RefreshRequest');

export const LogoutBodySchema = z.object({ refreshToken: RefreshTokenSchema }).strict().openapi('LogoutRequest');

/** A wall-clock time of day, 24-hour: 00:00 to 23:59. */
const TimeOfDaySchema = z
  .string(typed('a string'))
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'Must be a 24-hour time HH:MM (00:00 to 23:59)')
  .openapi({ example: '22:00' });

const QuietHoursSchema = z
  .object({
    from: TimeOfDaySchema.openapi({ example: '22:00', description: 'When the quiet hours start (inclusive), HH:MM in your time zone.' }),
    to: TimeOfDaySchema.openapi({ example: '07:00', description: 'When they end (exclusive), HH:MM in your time zone; earlier than `from` crosses midnight.' }),
    summary: z
      .boolean(typed('true or false'))
      .optional()
      .openapi({
        description:
          'When the quiet hours end, one push sums up the notifications they held that are still unread ("While you were away", their count and the first two). Default false: held notifications are never pushed.',
      }),
  }, typed('an object with from and to, or null'))
  .strict()
  .refine((w) => w.from !== w.to, { message: 'Must differ from from', path: ['to'] });

const NotificationPreferencesPatch = z
  .object({
    email: z
      .object({
        budgetAlerts: z
          .boolean(typed('true or false'))
          .optional()
          .openapi({ description: 'Email me when a budget I belong to crosses an alert threshold (default false).' }),
        reports: z
          .boolean(typed('true or false'))
          .optional()
          .openapi({ description: "Email me the period report of each budget I own when its period closes (default true)." }),
      })
      .strict()
      .optional(),
    push: z
      .object({
        budgetAlerts: z
          .boolean(typed('true or false'))
          .optional()
          .openapi({ description: 'Push to my devices when a budget I belong to crosses an alert threshold (default true).' }),
        comments: z
          .boolean(typed('true or false'))
          .optional()
          .openapi({ description: 'Push to my devices when someone comments on an expense I created or commented on (default true).' }),
        imports: z
          .boolean(typed('true or false'))
          .optional()
          .openapi({ description: 'Push to my devices when a CSV or bank-statement import, a merchant rename or an import undo I started finishes or fails (default true).' }),
        bills: z
          .boolean(typed('true or false'))
          .optional()
          .openapi({ description: 'Push to my devices the day before (from 09:00 in the budget time zone) a recurring expense of a budget I belong to is due (default true).' }),
        income: z
          .boolean(typed('true or false'))
          .optional()
          .openapi({
            description:
              'Tell me (a notification and a push to my devices) when a recurring income of a budget I belong to records a paycheck (default false: opt-in; off, not even the notification is made).',
          }),
      })
      .strict()
      .optional(),
    quietHours: QuietHoursSchema.nullable()
      .optional()
      .openapi({
        description:
          'Do not disturb: no push of any kind (data exports included) from `from` (inclusive) to `to` (exclusive), every day, on the wall clock of your profile `timezone` ' +
          '(daylight saving included); a window may cross midnight (22:00 to 07:00). The notifications are still created (GET /v1/notifications, unread counts); ' +
          'one that arrives in the quiet hours is never pushed later, unless `summary` asks for one summary push when they end. Email is not affected. Replaced whole (a missing `summary` is false); null removes them (the default).',
        example: { from: '22:00', to: '07:00', summary: true },
      }),
  })
  .strict()
  .openapi({
    description:
      'Email and push on/off per kind of notification; only the kinds sent change. Push goes to every registered device (POST /v1/me/devices). ' +
      'A muted push still leaves the notification in GET /v1/notifications (but `income`, opt-in: off, no notification either). A data export\'s push (ready or failed) has no switch: it answers your own request. ' +
      '`quietHours` pause every push daily.',
  });

export const PatchMeBodySchema = z
  .object({
    name: NameSchema.nullable().optional().openapi({ description: 'null clears the name.' }),
    timezone: TimeZoneSchema.optional(),
    currency: CurrencySchema.optional(),
    locale: ProfileLocaleSchema,
    notifications: NotificationPreferencesPatch.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'Provide at least one of name, timezone, currency, locale, notifications')
  .openapi('UpdateMeRequest');

const exampleUser = {
  id: '01JDQ3Z8WB6N5K7V2C4X9M0PQR',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  timezone: 'Europe/Berlin',
  currency: 'EUR',
  locale: 'de-DE',
  notifications: { email: { budgetAlerts: true, reports: true }, push: { budgetAlerts: true, comments: false, imports: true, bills: true, income: false }, quietHours: { from: '22:00', to: '07:00', summary: true } },
  version: 3,
  createdAt: '2026-11-24T12:00:00.000Z',
  updatedAt: '2026-11-24T12:00:00.000Z',
};

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    timezone: z.string(),
    currency: z.string(),
    locale: z
      .string()
      .nullable()
      .openapi({
        example: 'de-DE',
        examples: ['de-DE', 'en-GB', 'fr'],
        description: 'BCP 47 tag (canonical) your period reports and notifications are formatted in; null when none is set (plain figures: 1234.56, 2027-06-30).',
      }),
    notifications: z.object({
      email: z.object({ budgetAlerts: z.boolean(), reports: z.boolean() }),
      push: z.object({ budgetAlerts: z.boolean(), comments: z.boolean(), imports: z.boolean(), bills: z.boolean(), income: z.boolean() }),
      quietHours: z
        .object({
          from: z.string().openapi({ example: '22:00' }),
          to: z.string().openapi({ example: '07:00' }),
          summary: z.boolean().openapi({ example: true, description: 'One summary push of what they held, still unread, when they end.' }),
        })
        .nullable()
        .openapi({ description: 'Daily push quiet hours (HH:MM, from inclusive, to exclusive, in `timezone`) and whether their end brings a summary push; null when none.' }),
    }),
    version: z.number().int().openapi({ example: 3, description: 'Raised by every change of the profile; GET and PATCH /v1/me also send it as the ETag.' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('User', { example: exampleUser });

const exampleTokens = {
  accessToken: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMUpEUTNaOFdCNk41SzdWMkM0WDlNMFBRUiJ9.c2lnbmF0dXJl',
  refreshToken: 'Vq3n0qk8oR9cJ0y1bW5e2m7tXz4uA6sD8fG1hJ3kL5o',
  expiresIn: 900,
};

export const TokenPairSchema = z
  .object({
    accessToken: z.string().openapi({ description: 'JWT for the Authorization: Bearer header.' }),
    refreshToken: z.string().openapi({ description: 'Opaque, single use: exchange it at /v1/auth/refresh.' }),
    expiresIn: z.number().int().openapi({ description: 'Seconds until the access token expires: its lifetime (900) counted from the issue of the refresh token it comes with (so a few seconds less when the answer took that long), or less when its session\'s absolute end (90 days after the sign-in) comes first: an access token never outlives its session.' }),
  })
  .openapi('TokenPair', { example: exampleTokens });

export const AuthResponseSchema = z
  .object({ user: UserSchema, tokens: TokenPairSchema })
  .openapi('AuthResponse', { example: { user: exampleUser, tokens: exampleTokens } });

export const RefreshResponseSchema = z
  .object({ tokens: TokenPairSchema })
  .openapi('RefreshResponse', { example: { tokens: exampleTokens } });

export const PasswordChangedResponseSchema = z
  .object({ tokens: TokenPairSchema.openapi({ description: 'A new session for the device that made the change; every other session is ended.' }) })
  .openapi('PasswordChangedResponse', { example: { tokens: exampleTokens } });

/** PATCH /v1/me's If-Match (the budgets', expenses' and webhooks' own, in this module's schemas). */
export const IfMatchHeaders = z.object({
  'if-match': z
    .string()
    .optional()
    // Hono hands header names to the validator in lower case, so the documented name is too.
    .openapi({ param: { in: 'header' }, example: '"3"', description: 'The ETag of the profile you read (or a comma-separated list, or *); strong comparison, so W/"3" never matches. 412 if none is the current version.' }),
});
