import { describe, expect, it } from 'vitest';
import type { BudgetAlertNotification } from '../model';
import { alertEmail, alertPush, alertText } from './alert-message';

const base: BudgetAlertNotification = {
  id: 'n1', userId: 'u1', kind: 'budget.alert', budgetId: 'b1', budgetName: 'Household', currency: 'EUR', scope: 'budget', categoryId: null,
  categoryName: null, threshold: 80, spent: 123_456, limit: 150_000, periodStart: '2027-06-01', periodEnd: '2027-06-30',
  createdAt: '2027-06-20T10:00:00.000Z', readAt: null,
};

/** Expected texts written out by hand, as Node's ICU prints them (\u00A0: the NO-BREAK SPACE before a German euro sign). */
describe("a budget alert's text without a locale", () => {
  it('keeps the plain amounts with the currency code and the stored days', () => {
    expect(alertText(base)).toEqual({ title: '"Household": 80% of the limit reached', body: '1234.56 of 1500.00 EUR spent (2027-06-01 to 2027-06-30).' });
    expect(alertText(base, null)).toEqual(alertText(base));
    expect(alertText({ ...base, scope: 'category', categoryId: 'c1', categoryName: 'Food', currency: 'JPY', spent: 999, limit: 1_000 }).body).toBe(
      '999 of 1000 JPY spent (2027-06-01 to 2027-06-30).',
    );
  });
});

describe("a budget alert's text in the recipient's locale", () => {
  it('writes the amounts with the sign and grouping and the days as the locale does', () => {
    expect(alertText(base, 'de-DE')).toEqual({
      title: '"Household": 80% of the limit reached',
      body: '1.234,56\u00A0€ of 1.500,00\u00A0€ spent (01.06.2027 to 30.06.2027).',
    });
    expect(alertText({ ...base, currency: 'USD' }, 'en-US').body).toBe('$1,234.56 of $1,500.00 spent (Jun 1, 2027 to Jun 30, 2027).');
    expect(alertText({ ...base, currency: 'GBP' }, 'en-GB').body).toBe('£1,234.56 of £1,500.00 spent (1 Jun 2027 to 30 Jun 2027).');
  });

  it('says the same in the email (both parts) and the push', () => {
    const body = '1.234,56\u00A0€ of 1.500,00\u00A0€ spent (01.06.2027 to 30.06.2027).';
    const email = alertEmail(base, 'ana@example.com', 'de-DE');
    expect(email.text).toBe(`"Household": 80% of the limit reached\n\n${body}\n`);
    expect(email.html).toContain(`<p>${body}</p>`);
    expect(alertPush(base, 'd1', 'de-DE')).toMatchObject({ id: 'alert-n1-d1', body, data: { notificationId: 'n1', budgetId: 'b1', kind: 'budget.alert' } });
    expect(alertEmail(base, 'ana@example.com').text).toBe('"Household": 80% of the limit reached\n\n1234.56 of 1500.00 EUR spent (2027-06-01 to 2027-06-30).\n');
    expect(alertPush(base, 'd1').body).toBe('1234.56 of 1500.00 EUR spent (2027-06-01 to 2027-06-30).');
  });
});
