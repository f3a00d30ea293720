import { localeCount } from '@budgeting/platform';

/**
 * A top merchant's number of expenses, in the report page and the email's text part: with a
 * locale grouped as the locale groups a count (platform localeCount: "12.345" de-DE,
 * "12\u202F345" fr-FR), as the amounts beside it are; without one the plain figure ("12345"),
 * byte for byte the page and mail before locales.
 */
export function expenseCount(count: number, locale: string | undefined): string {
  return locale ? localeCount(locale)(count) : String(count);
}
