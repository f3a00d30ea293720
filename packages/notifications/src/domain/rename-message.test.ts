import { describe, expect, it } from 'vitest';
import type { MerchantRenameNotification } from '../model';
import { renamePush, renameText } from './rename-message';

const base: MerchantRenameNotification = {
  id: 'n1', userId: 'u1', kind: 'merchant-rename.finished', budgetId: 'b1', budgetName: 'Household', renameId: 'r1', from: ['AMZN MKTP US*2K4', 'Amazon.com'], to: 'Amazon',
  status: 'succeeded', examined: 1240, renamed: 1037, failure: null, message: '', createdAt: '2026-11-24T12:00:00.000Z', readAt: null,
};

describe("a merchant rename notification's text", () => {
  it('says how many expenses became the new name, grouped and in the singular when one', () => {
    expect(renameText(base)).toEqual({ title: 'Your merchant rename finished', body: 'Your rename to "Amazon" in Household finished: 1,037 expenses renamed.' });
    expect(renameText({ ...base, renamed: 1 }).body).toBe('Your rename to "Amazon" in Household finished: 1 expense renamed.');
  });

  it("says a failed rename's reason by its first clause, and leaves out a budget it cannot name", () => {
    const failure = "the rename stalled: nothing moved for 75 minutes (a page of the budget's expenses ended ...); expenses renamed before stay";
    expect(renameText({ ...base, status: 'failed', failure }).body).toBe('Your rename to "Amazon" in Household failed: the rename stalled: nothing moved for 75 minutes.');
    expect(renameText({ ...base, status: 'failed', budgetName: null, failure: 'the budget was deleted while renaming' }).body).toBe('Your rename to "Amazon" failed: the budget was deleted while renaming.');
    expect(renameText({ ...base, status: 'failed', failure: null }).body).toBe('Your rename to "Amazon" in Household failed: see the rename for details.');
  });

  it('pushes ids the app opens the rename with', () => {
    expect(renamePush(base, 'd1')).toMatchObject({ id: 'rename-n1-d1', data: { notificationId: 'n1', kind: 'merchant-rename.finished', budgetId: 'b1', renameId: 'r1', status: 'succeeded' } });
  });
});

describe("a merchant rename notification's text in the recipient's locale (written out by hand)", () => {
  const failure = 'the budget was deleted while renaming';

  it('in German', () => {
    expect(renameText(base, 'de-DE')).toEqual({
      title: 'Ihre Händler-Umbenennung ist abgeschlossen',
      body: 'Ihre Umbenennung in „Amazon“ im Budget Household ist abgeschlossen: 1.037 Ausgaben umbenannt.',
    });
    expect(renameText({ ...base, renamed: 1, budgetName: null }, 'de-DE').body).toBe('Ihre Umbenennung in „Amazon“ ist abgeschlossen: 1 Ausgabe umbenannt.');
    expect(renameText({ ...base, status: 'failed', failure }, 'de-DE')).toEqual({
      title: 'Ihre Händler-Umbenennung ist fehlgeschlagen',
      body: 'Ihre Umbenennung in „Amazon“ im Budget Household ist fehlgeschlagen: Details finden Sie in der Umbenennung.',
    });
  });

  it('in French (« » with no-break spaces, "0 dépense renommée")', () => {
    expect(renameText(base, 'fr-FR')).toEqual({
      title: 'Votre renommage de commerçant est terminé',
      body: 'Votre renommage en «\u00A0Amazon\u00A0» dans Household est terminé\u00A0: 1\u202F037 dépenses renommées.',
    });
    expect(renameText({ ...base, renamed: 0, budgetName: null }, 'fr-FR').body).toBe('Votre renommage en «\u00A0Amazon\u00A0» est terminé\u00A0: 0 dépense renommée.');
    expect(renameText({ ...base, status: 'failed', budgetName: null, failure }, 'fr-CA')).toEqual({
      title: 'Votre renommage de commerçant a échoué',
      body: 'Votre renommage en «\u00A0Amazon\u00A0» a échoué\u00A0: voir les détails dans le renommage.',
    });
  });

  it('in Spanish', () => {
    expect(renameText(base, 'es-ES')).toEqual({
      title: 'Tu cambio de nombre de comercio ha terminado',
      body: 'Tu cambio de nombre a «Amazon» en Household ha terminado: 1037 gastos renombrados.',
    });
    expect(renameText({ ...base, renamed: 1 }, 'es-ES').body).toBe('Tu cambio de nombre a «Amazon» en Household ha terminado: 1 gasto renombrado.');
    expect(renameText({ ...base, status: 'failed', budgetName: null, failure }, 'es-ES')).toEqual({
      title: 'Tu cambio de nombre de comercio ha fallado',
      body: 'Tu cambio de nombre a «Amazon» ha fallado: consulta los detalles en el cambio de nombre.',
    });
  });

  it('without a locale the text as before; the push carries the localized text', () => {
    expect(renameText(base, null)).toEqual({ title: 'Your merchant rename finished', body: 'Your rename to "Amazon" in Household finished: 1,037 expenses renamed.' });
    expect(renameText({ ...base, status: 'failed', failure: 'the rename stalled: nothing moved (x); y' }, 'en-US').body).toBe('Your rename to "Amazon" in Household failed: the rename stalled: nothing moved.');
    expect(renamePush(base, 'd1', 'es-ES')).toMatchObject({ id: 'rename-n1-d1', title: 'Tu cambio de nombre de comercio ha terminado', body: 'Tu cambio de nombre a «Amazon» en Household ha terminado: 1037 gastos renombrados.' });
  });
});


describe("a failed rename's reason by its code (the event's failureCode), written out by hand", () => {
  const failed = (failureCode: string | undefined, failure: string | null = 'the rename stalled: nothing moved for 75 minutes (x); y') =>
    ({ ...base, status: 'failed' as const, failure, ...(failureCode === undefined ? {} : { failureCode }) });

  it("in German, French and Spanish: the catalog's words for each known code", () => {
    expect(renameText(failed('stalled'), 'de-DE').body).toBe('Ihre Umbenennung in „Amazon“ im Budget Household ist fehlgeschlagen: sie kam zu lange nicht voran.');
    expect(renameText({ ...failed('budget-deleted'), budgetName: null }, 'de-DE').body).toBe('Ihre Umbenennung in „Amazon“ ist fehlgeschlagen: das Budget wurde während der Umbenennung gelöscht.');
    expect(renameText(failed('part-failed'), 'fr-FR').body).toBe('Votre renommage en «\u00A0Amazon\u00A0» dans Household a échoué\u00A0: une page des dépenses du budget a échoué à chaque tentative.');
    expect(renameText(failed('not-started'), 'fr-FR').body).toBe("Votre renommage en «\u00A0Amazon\u00A0» dans Household a échoué\u00A0: il n'a pas pu être lancé.");
    expect(renameText(failed('stalled'), 'es-ES').body).toBe('Tu cambio de nombre a «Amazon» en Household ha fallado: no avanzó durante demasiado tiempo.');
    expect(renameText(failed('budget-deleted'), 'es-ES').body).toBe('Tu cambio de nombre a «Amazon» en Household ha fallado: el presupuesto se eliminó durante el cambio de nombre.');
    expect(renameText(failed('budget-archived'), 'es-ES').body).toBe('Tu cambio de nombre a «Amazon» en Household ha fallado: el presupuesto se archivó durante el cambio de nombre.');
  });

  it('an unknown code says where to read it; English keeps the reason as before codes', () => {
    expect(renameText(failed('quota-exceeded'), 'de-DE').body).toBe('Ihre Umbenennung in „Amazon“ im Budget Household ist fehlgeschlagen: Details finden Sie in der Umbenennung.');
    expect(renameText(failed('stalled'), null).body).toBe('Your rename to "Amazon" in Household failed: the rename stalled: nothing moved for 75 minutes.');
    expect(renamePush(failed('stalled'), 'd1', 'es-ES')).toMatchObject({ body: 'Tu cambio de nombre a «Amazon» en Household ha fallado: no avanzó durante demasiado tiempo.' });
  });
});
