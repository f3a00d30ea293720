import { describe, expect, it } from 'vitest';
import type { IncomeRecordedNotification } from '../model';
import { incomePush, incomeText } from './income-message';

const base: IncomeRecordedNotification = {
  id: 'n1', userId: 'u1', kind: 'income.recorded', budgetId: 'b1', budgetName: 'Household', incomeId: 'i1', recurringIncomeId: 'ri1', receivedOn: '2026-11-28',
  amount: 320_000, currency: 'EUR', source: 'Acme payroll', description: 'Salary', message: '', createdAt: '2026-11-28T06:00:00.000Z', readAt: null,
};

describe("a recorded paycheck's text", () => {
  it('names what came in, the amount in major units, the source and the day; the budget in the title', () => {
    expect(incomeText(base)).toEqual({ title: 'Income recorded in Household', body: 'Salary 3200.00 EUR from Acme payroll recorded (2026-11-28).' });
    expect(incomeText({ ...base, amount: 250_000, currency: 'JPY' }).body).toBe('Salary 250000 JPY from Acme payroll recorded (2026-11-28).');
  });

  it('without a description says "Income", without a source leaves the source out', () => {
    expect(incomeText({ ...base, description: null }).body).toBe('Income 3200.00 EUR from Acme payroll recorded (2026-11-28).');
    expect(incomeText({ ...base, source: null }).body).toBe('Salary 3200.00 EUR recorded (2026-11-28).');
    expect(incomeText({ ...base, source: null, description: null }).body).toBe('Income 3200.00 EUR recorded (2026-11-28).');
  });

  it("keeps the description's and the source's line breaks out of the body", () => {
    expect(incomeText({ ...base, description: 'Salary\r\nBonus', source: 'Acme\n\npayroll\u0085' }).body).toBe('Salary Bonus 3200.00 EUR from Acme payroll recorded (2026-11-28).');
  });

  it('pushes the ids the app opens the entry with', () => {
    expect(incomePush(base, 'd1')).toMatchObject({
      id: 'income-n1-d1',
      title: 'Income recorded in Household',
      data: { notificationId: 'n1', kind: 'income.recorded', budgetId: 'b1', incomeId: 'i1', recurringIncomeId: 'ri1' },
    });
  });

  it("in the recipient's locale and language: German, French, Spanish, English figures (written out by hand)", () => {
    expect(incomeText(base, 'de-DE')).toEqual({ title: 'Einnahme in Household verbucht', body: 'Salary 3.200,00\u00A0€ von Acme payroll verbucht (28.11.2026).' });
    expect(incomeText({ ...base, source: null, description: null }, 'de-DE').body).toBe('Einnahme 3.200,00\u00A0€ verbucht (28.11.2026).');
    expect(incomeText(base, 'fr-FR')).toEqual({
      title: 'Revenu enregistré dans Household',
      body: 'Salary\u00A0: 3\u202F200,00\u00A0€ de Acme payroll enregistré (28 nov. 2026).',
    });
    expect(incomeText({ ...base, source: null, description: null }, 'fr-FR').body).toBe('Revenu\u00A0: 3\u202F200,00\u00A0€ enregistré (28 nov. 2026).');
    expect(incomeText(base, 'es-ES')).toEqual({ title: 'Ingreso registrado en Household', body: 'Salary: 3200,00\u00A0€ de Acme payroll registrado (28 nov 2026).' });
    expect(incomeText({ ...base, description: null }, 'es-ES').body).toBe('Ingreso: 3200,00\u00A0€ de Acme payroll registrado (28 nov 2026).');
    expect(incomeText({ ...base, currency: 'USD' }, 'en-US').body).toBe('Salary $3,200.00 from Acme payroll recorded (Nov 28, 2026).');
    expect(incomePush(base, 'd1', 'de-DE')).toMatchObject({ title: 'Einnahme in Household verbucht', body: 'Salary 3.200,00\u00A0€ von Acme payroll verbucht (28.11.2026).' });
  });
});
