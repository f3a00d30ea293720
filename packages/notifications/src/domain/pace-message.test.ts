import { describe, expect, it } from 'vitest';
import type { BudgetPaceNotification } from '../model';
import { paceEmail, pacePush, paceText } from './pace-message';

/** Expected texts written out by hand (\u00A0: the no-break space Intl puts before a German, French or Spanish euro sign, and French before ":"). */
const base: BudgetPaceNotification = {
  id: 'n1',
  userId: 'u1',
  kind: 'budget.pace',
  budgetId: 'b1',
  budgetName: 'Household',
  currency: 'EUR',
  categoryId: 'c1',
  categoryName: 'Dining',
  limit: 50_000,
  spent: 31_000,
  projected: 62_000,
  periodStart: '2026-11-01',
  periodEnd: '2026-11-30',
  message: '',
  createdAt: '2026-11-15T12:00:00.000Z',
  readAt: null,
};

describe('paceText', () => {
  it('without a locale: the formats before locales, the limit with its code', () => {
    expect(paceText(base)).toEqual({ title: 'Dining in "Household": on pace to go over the limit', body: 'Dining: at this pace 620.00 of 500.00 EUR by 2026-11-30' });
  });

  it("the budget's total is named by the budget; a category whose name is unknown as 'A category'", () => {
    expect(paceText({ ...base, categoryId: null, categoryName: null })).toEqual({ title: '"Household": on pace to go over the limit', body: 'Household: at this pace 620.00 of 500.00 EUR by 2026-11-30' });
    expect(paceText({ ...base, categoryName: null }).body).toBe('A category: at this pace 620.00 of 500.00 EUR by 2026-11-30');
  });

  it('in English (en-GB), German, French and Spanish', () => {
    expect(paceText(base, 'en-GB').body).toBe('Dining: at this pace €620.00 of €500.00 by 30 Nov 2026');
    expect(paceText(base, 'de-DE')).toEqual({
      title: 'Dining in „Household“: auf dem Weg, das Limit zu überschreiten',
      body: 'Dining: bei diesem Tempo 620,00\u00A0€ von 500,00\u00A0€ bis 30.11.2026',
    });
    expect(paceText(base, 'fr-FR')).toEqual({
      title: 'Dining dans «\u00A0Household\u00A0»\u00A0: en voie de dépasser la limite',
      body: 'Dining\u00A0: à ce rythme, 620,00\u00A0€ sur 500,00\u00A0€ d’ici le 30 nov. 2026',
    });
    expect(paceText(base, 'es-ES')).toEqual({
      title: 'Dining en «Household»: en camino de superar el límite',
      body: 'Dining: a este ritmo, 620,00\u00A0€ de 500,00\u00A0€ para el 30 nov 2026',
    });
  });

  it('the email escapes the names in its HTML part; the push names the notification', () => {
    const email = paceEmail({ ...base, categoryName: '<b>Fun</b>' }, 'ana@example.com');
    expect(email.subject).toBe('<b>Fun</b> in "Household": on pace to go over the limit');
    expect(email.html).toBe(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>&lt;b&gt;Fun&lt;/b&gt; in &quot;Household&quot;: on pace to go over the limit</title></head><body>\n' +
        '<p><strong>&#60;b&#62;Fun&#60;/b&#62; in &#34;Household&#34;: on pace to go over the limit</strong></p><p>&#60;b&#62;Fun&#60;/b&#62;: at this pace 620.00 of 500.00 EUR by 2026-11-30</p>' +
        '\n</body></html>',
    );
    expect(pacePush(base, 'd1')).toEqual({
      id: 'pace-n1-d1',
      title: 'Dining in "Household": on pace to go over the limit',
      body: 'Dining: at this pace 620.00 of 500.00 EUR by 2026-11-30',
      data: { notificationId: 'n1', budgetId: 'b1', kind: 'budget.pace' },
    });
  });
});
