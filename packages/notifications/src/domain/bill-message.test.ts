import { describe, expect, it } from 'vitest';
import type { BillDueSoonNotification } from '../model';
import { billPush, billText } from './bill-message';

const base: BillDueSoonNotification = {
  id: 'n1', userId: 'u1', kind: 'bill.due_soon', budgetId: 'b1', budgetName: 'Household', recurringExpenseId: 'r1', dueOn: '2026-12-01',
  amount: 120_000, currency: 'EUR', merchant: 'Rent Co', description: 'Rent', message: '', createdAt: '2026-11-30T00:00:00.000Z', readAt: null,
};

describe("a bill reminder's text", () => {
  it('names the merchant, the amount in major units, the date and the budget', () => {
    expect(billText(base)).toEqual({ title: 'Rent Co is due tomorrow', body: 'Rent Co: 1200.00 EUR due tomorrow (2026-12-01) in Household.' });
    expect(billText({ ...base, amount: 999, currency: 'JPY' }).body).toBe('Rent Co: 999 JPY due tomorrow (2026-12-01) in Household.');
  });

  it("keeps a merchant's or description's line breaks out of the one-line title and the body (a co-member's text cannot forge lines)", () => {
    const forged = { ...base, merchant: 'Rent Co\r\n\r\nYour account is locked,\u2028call 555-0100\n' };
    expect(billText(forged)).toEqual({
      title: 'Rent Co Your account is locked, call 555-0100 is due tomorrow',
      body: 'Rent Co Your account is locked, call 555-0100: 1200.00 EUR due tomorrow (2026-12-01) in Household.',
    });
    expect(billText({ ...base, merchant: null, description: 'Rent\n\tflat 2' }).title).toBe('Rent flat 2 is due tomorrow');
  });

  it("closes a bidi override or isolate a merchant opens, so it cannot turn the amount, date and budget after it around (U+202E made \"1200.00 EUR\" read \"RUE 00.0021\")", () => {
    // An embedding or override (LRE, RLE, LRO, RLO) is closed by PDF (U+202C), an isolate (LRI, RLI, FSI) by PDI (U+2069), innermost first.
    expect(billText({ ...base, merchant: 'Rent Co\u202e' })).toEqual({
      title: 'Rent Co\u202e\u202c is due tomorrow',
      body: 'Rent Co\u202e\u202c: 1200.00 EUR due tomorrow (2026-12-01) in Household.',
    });
    expect(billText({ ...base, merchant: '\u2067Rent \u202bCo' }).title).toBe('\u2067Rent \u202bCo\u202c\u2069 is due tomorrow');
    // Balanced ones (and a PDF with nothing open) stay as sent.
    expect(billText({ ...base, merchant: '\u202eoC tneR\u202c' }).title).toBe('\u202eoC tneR\u202c is due tomorrow');
    expect(billText({ ...base, merchant: 'Rent\u202c Co' }).title).toBe('Rent\u202c Co is due tomorrow');
  });

  it('falls back on the description, then on a plain name', () => {
    expect(billText({ ...base, merchant: null }).title).toBe('Rent is due tomorrow');
    expect(billText({ ...base, merchant: null, description: null }).body).toBe('A recurring expense: 1200.00 EUR due tomorrow (2026-12-01) in Household.');
  });

  it('pushes ids the app opens the recurring expense with', () => {
    expect(billPush(base, 'd1')).toMatchObject({ id: 'bill-n1-d1', data: { notificationId: 'n1', kind: 'bill.due_soon', budgetId: 'b1', recurringExpenseId: 'r1', dueOn: '2026-12-01' } });
  });

  it("gives the amount and the day in the recipient's locale, the words in its language (no locale: the text above)", () => {
    expect(billText(base, 'de-DE')).toEqual({ title: 'Rent Co ist morgen fällig', body: 'Rent Co: 1.200,00\u00A0€ morgen fällig (01.12.2026) in Household.' });
    expect(billText({ ...base, currency: 'GBP' }, 'en-GB')).toEqual({ title: 'Rent Co is due tomorrow', body: 'Rent Co: £1,200.00 due tomorrow (1 Dec 2026) in Household.' });
    // Japanese is not in the catalog: English words, Japanese figures.
    expect(billText({ ...base, amount: 999, currency: 'JPY' }, 'ja-JP').body).toBe('Rent Co: ￥999 due tomorrow (2026/12/01) in Household.');
    expect(billText(base, null).body).toBe('Rent Co: 1200.00 EUR due tomorrow (2026-12-01) in Household.');
    expect(billPush(base, 'd1', 'de-DE')).toMatchObject({ title: 'Rent Co ist morgen fällig', body: 'Rent Co: 1.200,00\u00A0€ morgen fällig (01.12.2026) in Household.' });
  });

  it('in French and Spanish, with the fallback names in the language too (written out by hand)', () => {
    expect(billText(base, 'fr-FR')).toEqual({
      title: 'Rent Co\u00A0: échéance demain',
      body: 'Rent Co\u00A0: 1\u202F200,00\u00A0€ à payer demain (1 déc. 2026) dans Household.',
    });
    expect(billText({ ...base, merchant: null, description: null }, 'fr-FR').title).toBe('Une dépense récurrente\u00A0: échéance demain');
    expect(billText(base, 'es-ES')).toEqual({ title: 'Rent Co vence mañana', body: 'Rent Co: 1200,00\u00A0€ vence mañana (1 dic 2026) en Household.' });
    expect(billText({ ...base, merchant: null, description: null }, 'es-ES').body).toBe('Un gasto recurrente: 1200,00\u00A0€ vence mañana (1 dic 2026) en Household.');
    expect(billText({ ...base, merchant: null, description: null }, 'de-DE').title).toBe('Eine wiederkehrende Ausgabe ist morgen fällig');
  });
});
