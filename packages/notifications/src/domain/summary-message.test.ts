import { describe, expect, it } from 'vitest';
import type { BillDueSoonNotification, BudgetAlertNotification, BudgetPaceNotification, DataExportNotification, ExpenseCommentNotification, IncomeRecordedNotification, Notification } from '../model';
import { summarized, summaryPush, summaryText } from './summary-message';

const alert: BudgetAlertNotification = {
  id: 'n4', userId: 'u1', kind: 'budget.alert', budgetId: 'b1', budgetName: 'Household', currency: 'EUR', scope: 'category', categoryId: 'c1',
  categoryName: 'Groceries', threshold: 80, spent: 40_000, limit: 50_000, periodStart: '2026-11-01', periodEnd: '2026-11-30', createdAt: '2026-11-24T23:00:00.000Z', readAt: null,
};
const bill: BillDueSoonNotification = {
  id: 'n3', userId: 'u1', kind: 'bill.due_soon', budgetId: 'b1', budgetName: 'Household', recurringExpenseId: 'r1', dueOn: '2026-11-26',
  amount: 120_000, currency: 'EUR', merchant: 'Rent Co', description: 'Rent', message: '', createdAt: '2026-11-24T22:30:00.000Z', readAt: null,
};
const comment: ExpenseCommentNotification = {
  id: 'n2', userId: 'u1', kind: 'expense.comment', budgetId: 'b1', expenseId: 'e1', commentId: 'c1', authorId: 'u2', excerpt: 'Late thought', createdAt: '2026-11-24T22:10:00.000Z', readAt: null,
};
const exported: DataExportNotification = { id: 'n1', userId: 'u1', kind: 'data-export.ready', exportId: 'x1', createdAt: '2026-11-24T22:05:00.000Z', readAt: null };
const allOn = { budgetAlerts: true, comments: true, imports: true, bills: true, income: true };
const paycheck: IncomeRecordedNotification = {
  id: 'n6', userId: 'u1', kind: 'income.recorded', budgetId: 'b1', budgetName: 'Household', incomeId: 'i1', recurringIncomeId: 'ri1', receivedOn: '2026-11-25',
  amount: 320_000, currency: 'EUR', source: 'Acme payroll', description: 'Salary', message: '', createdAt: '2026-11-24T23:45:00.000Z', readAt: null,
};

describe("the quiet-hours summary's text", () => {
  it('counts them and names the newest two, the rest as "and N more"', () => {
    expect(summaryText([alert, bill, comment])).toEqual({
      title: 'While you were away',
      body: '3 notifications: Groceries is at 80% of its limit, Rent Co is due on 2026-11-26, and 1 more',
    });
    expect(summaryText([alert, bill, comment, exported]).body).toBe('4 notifications: Groceries is at 80% of its limit, Rent Co is due on 2026-11-26, and 2 more');
  });

  it("names a bill on one line, whatever line breaks its merchant holds", () => {
    expect(summaryText([{ ...bill, merchant: 'Rent Co\r\nYour account is locked' }]).body).toBe('1 notification: Rent Co Your account is locked is due on 2026-11-26');
  });

  it('names one or two without "more"', () => {
    expect(summaryText([comment]).body).toBe('1 notification: New comment on an expense');
    expect(summaryText([comment, exported]).body).toBe('2 notifications: New comment on an expense and Your data export is ready');
  });

  it("names a budget alert by its budget, and a bill by its description when it has no merchant", () => {
    expect(summaryText([{ ...alert, scope: 'budget', categoryId: null, categoryName: null }, { ...bill, merchant: null }]).body).toBe(
      '2 notifications: Household is at 80% of its limit and Rent is due on 2026-11-26',
    );
  });

  it("in the user's language and formats (written out by hand)", () => {
    expect(summaryText([alert, bill, comment], 'de-DE')).toEqual({
      title: 'Während Sie weg waren',
      body: '3 Benachrichtigungen: Groceries hat 80\u00A0% des Limits erreicht, Rent Co ist am 26.11.2026 fällig und 1 weitere',
    });
    expect(summaryText([alert, bill, comment, exported], 'fr-FR').body).toBe(
      '4 notifications\u00A0: Groceries a atteint 80\u00A0% de sa limite, Rent Co\u00A0: échéance le 26 nov. 2026 et 2 autres',
    );
    expect(summaryText([comment], 'es-ES').body).toBe('1 notificación: Nuevo comentario en un gasto');
  });

  it("joins the list as the user's locale does, not as US English: no serial comma in en-GB or en-AU; English words and punctuation for a language without words", () => {
    expect(summaryText([alert, bill, comment], 'en-GB').body).toBe('3 notifications: Groceries is at 80% of its limit, Rent Co is due on 26 Nov 2026 and 1 more');
    expect(summaryText([alert, bill, comment], 'en-AU').body).toMatch(/ is due on .+ and 1 more$/);
    expect(summaryText([alert, bill, comment], 'en-AU').body).not.toContain(', and');
    // en-US and no locale keep it (as before); Japanese figures, but an English sentence joined as English.
    expect(summaryText([alert, bill, comment], 'en-US').body).toBe('3 notifications: Groceries is at 80% of its limit, Rent Co is due on Nov 26, 2026, and 1 more');
    expect(summaryText([alert, bill, comment], 'ja-JP').body).toBe('3 notifications: Groceries is at 80% of its limit, Rent Co is due on 2026/11/26, and 1 more');
  });

  it("writes an alert's threshold as the locale writes numbers (1.000 % de-DE); without a locale the plain figure", () => {
    expect(summaryText([{ ...alert, threshold: 1000 }], 'de-DE').body).toBe('1 Benachrichtigung: Groceries hat 1.000\u00A0% des Limits erreicht');
    expect(summaryText([{ ...alert, threshold: 1000 }]).body).toBe('1 notification: Groceries is at 1000% of its limit');
  });

  it('names a pace alert by its category, or its budget for the total; muted with the budget alerts', () => {
    const pace: BudgetPaceNotification = {
      id: 'n5', userId: 'u1', kind: 'budget.pace', budgetId: 'b1', budgetName: 'Household', currency: 'EUR', categoryId: 'c2', categoryName: 'Dining',
      limit: 50_000, spent: 31_000, projected: 62_000, periodStart: '2026-11-01', periodEnd: '2026-11-30', message: '', createdAt: '2026-11-24T23:30:00.000Z', readAt: null,
    };
    expect(summaryText([pace, { ...pace, categoryId: null, categoryName: null }]).body).toBe(
      '2 notifications: Dining is on pace to go over its limit and Household is on pace to go over its limit',
    );
    expect(summaryText([pace], 'de-DE').body).toBe('1 Benachrichtigung: Dining ist auf dem Weg, das Limit zu überschreiten');
    expect(summarized([pace, comment], undefined, { ...allOn, budgetAlerts: false })).toEqual([comment]);
  });

  it('names a recorded paycheck by its title (the budget); left out when the income switch is off', () => {
    expect(summaryText([paycheck, comment]).body).toBe('2 notifications: Income recorded in Household and New comment on an expense');
    expect(summaryText([paycheck], 'de-DE').body).toBe('1 Benachrichtigung: Einnahme in Household verbucht');
    expect(summarized([paycheck, comment], undefined, { ...allOn, income: false })).toEqual([comment]);
    expect(summarized([paycheck, comment], undefined, allOn)).toEqual([paycheck, comment]);
  });

  it('pushes a stable id per occurrence and device, and what the app opens the list with', () => {
    expect(summaryPush([alert, bill], '2026-11-25T06:00:00.000Z', 'd1')).toMatchObject({
      id: 'summary-2026-11-25T06:00:00.000Z-d1',
      data: { kind: 'quiet-hours.summary', count: '2', newestId: 'n4' },
    });
  });
});

describe('what the summary is about', () => {
  const held: Notification[] = [alert, bill, comment, exported];

  it('leaves out what was read, by itself or by the read-all mark', () => {
    expect(summarized([alert, { ...bill, readAt: '2026-11-24T23:30:00.000Z' }, comment, exported], undefined, allOn).map((n) => n.id)).toEqual(['n4', 'n2', 'n1']);
    // The mark covers ids up to n2: n2 and n1 read.
    expect(summarized(held, { upToId: 'n2', at: '2026-11-24T23:40:00.000Z' }, allOn).map((n) => n.id)).toEqual(['n4', 'n3']);
  });

  it('leaves out kinds whose push is off (a data export has no switch)', () => {
    expect(summarized(held, undefined, { ...allOn, budgetAlerts: false, comments: false }).map((n) => n.id)).toEqual(['n3', 'n1']);
  });
});
