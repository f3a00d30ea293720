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
  it('writes the amounts with the sign and grouping and the days as the locale does, the words in its language', () => {
    expect(alertText(base, 'de-DE')).toEqual({
      title: '„Household“: 80\u00A0% des Limits erreicht',
      body: '1.234,56\u00A0€ von 1.500,00\u00A0€ ausgegeben (01.06.2027 bis 30.06.2027).',
    });
    expect(alertText({ ...base, currency: 'USD' }, 'en-US').body).toBe('$1,234.56 of $1,500.00 spent (Jun 1, 2027 to Jun 30, 2027).');
    expect(alertText({ ...base, currency: 'GBP' }, 'en-GB')).toEqual({
      title: '"Household": 80% of the limit reached',
      body: '£1,234.56 of £1,500.00 spent (1 Jun 2027 to 30 Jun 2027).',
    });
  });

  // Written out by hand. French: U+202F (narrow no-break space) groups digits, U+00A0 before €, ":" and "%" and inside « ».
  it('in French (fr-FR, and fr-CA: the language subtag chooses the words)', () => {
    expect(alertText(base, 'fr-FR')).toEqual({
      title: '«\u00A0Household\u00A0»\u00A0: seuil de 80\u00A0% de la limite atteint',
      body: '1\u202F234,56\u00A0€ dépensés sur 1\u202F500,00\u00A0€ (du 1 juin 2027 au 30 juin 2027).',
    });
    expect(alertText({ ...base, scope: 'category', categoryId: 'c1', categoryName: 'Courses' }, 'fr-CA').title).toBe(
      'Courses dans «\u00A0Household\u00A0»\u00A0: seuil de 80\u00A0% de la limite atteint',
    );
  });

  it('in Spanish (es-ES; Spanish groups no four-digit amount) and German for a category, named or not', () => {
    expect(alertText(base, 'es-ES')).toEqual({
      title: '«Household»: alcanzado el 80\u00A0% del límite',
      body: '1234,56\u00A0€ gastados de 1500,00\u00A0€ (del 1 jun 2027 al 30 jun 2027).',
    });
    expect(alertText({ ...base, scope: 'category', categoryId: 'c1', categoryName: 'Comida', threshold: 100 }, 'es-ES').title).toBe(
      'Comida en «Household»: alcanzado el 100\u00A0% del límite',
    );
    expect(alertText({ ...base, scope: 'category', categoryId: 'c1', categoryName: null }, 'es-ES').title).toBe(
      'Una categoría en «Household»: alcanzado el 80\u00A0% del límite',
    );
    expect(alertText({ ...base, scope: 'category', categoryId: 'c1', categoryName: null }, 'de-AT').title).toBe('Eine Kategorie in „Household“: 80\u00A0% des Limits erreicht');
    expect(alertText({ ...base, scope: 'category', categoryId: 'c1', categoryName: null }).title).toBe('A category in "Household": 80% of the limit reached');
    expect(alertText({ ...base, scope: 'category', categoryId: 'c1', categoryName: null }, 'fr-FR').title).toBe(
      'Une catégorie dans «\u00A0Household\u00A0»\u00A0: seuil de 80\u00A0% de la limite atteint',
    );
  });

  it('writes a threshold past 999 % as the locale writes numbers, as the amounts beside it; without a locale the plain figure', () => {
    const far = { ...base, threshold: 1000 };
    expect(alertText(far, 'de-DE').title).toBe('„Household“: 1.000\u00A0% des Limits erreicht');
    expect(alertText(far, 'fr-FR').title).toBe('«\u00A0Household\u00A0»\u00A0: seuil de 1\u202F000\u00A0% de la limite atteint');
    expect(alertText(far, 'en-US').title).toBe('"Household": 1,000% of the limit reached');
    // Spanish groups no four-digit number; no locale: the text as before locales.
    expect(alertText(far, 'es-ES').title).toBe('«Household»: alcanzado el 1000\u00A0% del límite');
    expect(alertText(far).title).toBe('"Household": 1000% of the limit reached');
  });

  it('a language the catalog does not have: English words, the locale\'s figures', () => {
    expect(alertText({ ...base, currency: 'JPY', spent: 1_234, limit: 1_500 }, 'ja-JP')).toEqual({
      title: '"Household": 80% of the limit reached',
      body: '￥1,234 of ￥1,500 spent (2027/06/01 to 2027/06/30).',
    });
  });

  it('says the same in the email (both parts) and the push', () => {
    const title = '„Household“: 80\u00A0% des Limits erreicht';
    const body = '1.234,56\u00A0€ von 1.500,00\u00A0€ ausgegeben (01.06.2027 bis 30.06.2027).';
    const email = alertEmail(base, 'ana@example.com', 'de-DE');
    expect(email.subject).toBe(title);
    expect(email.text).toBe(`${title}\n\n${body}\n`);
    expect(email.html).toBe(`<!doctype html><html lang="de-DE"><head><meta charset="utf-8"><title>${title}</title></head><body>\n<p><strong>${title}</strong></p><p>${body}</p>\n</body></html>`);
    expect(alertPush(base, 'd1', 'de-DE')).toMatchObject({ id: 'alert-n1-d1', title, body, data: { notificationId: 'n1', budgetId: 'b1', kind: 'budget.alert' } });
    const french = alertEmail(base, 'ana@example.com', 'fr-FR');
    expect(french.subject).toBe('«\u00A0Household\u00A0»\u00A0: seuil de 80\u00A0% de la limite atteint');
    expect(alertPush(base, 'd1', 'fr-FR').body).toBe('1\u202F234,56\u00A0€ dépensés sur 1\u202F500,00\u00A0€ (du 1 juin 2027 au 30 juin 2027).');
    expect(alertEmail(base, 'ana@example.com').text).toBe('"Household": 80% of the limit reached\n\n1234.56 of 1500.00 EUR spent (2027-06-01 to 2027-06-30).\n');
    expect(alertPush(base, 'd1').body).toBe('1234.56 of 1500.00 EUR spent (2027-06-01 to 2027-06-30).');
  });
});
