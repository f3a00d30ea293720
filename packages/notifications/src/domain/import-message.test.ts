import { describe, expect, it } from 'vitest';
import type { ImportNotification } from '../model';
import { importPush, importText, shortReason } from './import-message';

const base: ImportNotification = {
  id: 'n1', userId: 'u1', kind: 'import.finished', budgetId: 'b1', budgetName: 'Household', importId: 'i1', status: 'succeeded',
  total: 2000, imported: 1980, duplicates: 20, matched: 0, errorCount: 0, failure: null, message: '', createdAt: '2026-11-24T12:00:00.000Z', readAt: null,
};

describe('an import notification\'s text', () => {
  it('says the counts of a finished import, grouped and in the singular when one', () => {
    expect(importText(base)).toEqual({ title: 'Your import finished', body: 'Your import into Household finished: 1,980 added, 20 duplicates, 0 errors.' });
    expect(importText({ ...base, imported: 1, duplicates: 1, errorCount: 1 }).body).toBe('Your import into Household finished: 1 added, 1 duplicate, 1 error.');
  });

  it('says the rows that were bills already recorded, only when there are some', () => {
    expect(importText({ ...base, matched: 1 }).body).toBe('Your import into Household finished: 1,980 added, 1 bill already recorded, 20 duplicates, 0 errors.');
    expect(importText({ ...base, matched: 1200 }).body).toBe('Your import into Household finished: 1,980 added, 1,200 bills already recorded, 20 duplicates, 0 errors.');
  });

  it('says a failed import\'s reason by its first clause, and leaves out a budget it cannot name', () => {
    const failure = 'part 3 of the file failed every attempt (throttled); rows recorded before stay, importing the file again adds only the rest';
    expect(importText({ ...base, status: 'failed', failure }).body).toBe('Your import into Household failed: part 3 of the file failed every attempt.');
    expect(importText({ ...base, status: 'failed', budgetName: null, failure: 'the budget was deleted while importing' }).body).toBe('Your import failed: the budget was deleted while importing.');
    expect(shortReason('the import stalled: nothing moved for 75 minutes (a part of the file ended ...); rows recorded before stay')).toBe('the import stalled: nothing moved for 75 minutes');
    expect(shortReason('x'.repeat(200))).toHaveLength(120);
  });

  it('pushes ids the app opens the import with', () => {
    expect(importPush(base, 'd1')).toMatchObject({ id: 'import-n1-d1', data: { notificationId: 'n1', kind: 'import.finished', budgetId: 'b1', importId: 'i1', status: 'succeeded' } });
  });
});

describe("an import notification's text in the recipient's locale (written out by hand)", () => {
  const failure = 'part 3 of the file failed every attempt (throttled); rows recorded before stay';

  it('in German: words, grouped counts (de-AT with a no-break space), singular for one', () => {
    expect(importText(base, 'de-DE')).toEqual({ title: 'Ihr Import ist abgeschlossen', body: 'Ihr Import in Household ist abgeschlossen: 1.980 hinzugefügt, 20 Duplikate, 0 Fehler.' });
    expect(importText({ ...base, imported: 1, duplicates: 1, errorCount: 1 }, 'de-DE').body).toBe('Ihr Import in Household ist abgeschlossen: 1 hinzugefügt, 1 Duplikat, 1 Fehler.');
    expect(importText({ ...base, matched: 1200 }, 'de-AT').body).toBe('Ihr Import in Household ist abgeschlossen: 1\u00A0980 hinzugefügt, 1\u00A0200 Rechnungen bereits erfasst, 20 Duplikate, 0 Fehler.');
    expect(importText({ ...base, matched: 1 }, 'de-DE').body).toBe('Ihr Import in Household ist abgeschlossen: 1.980 hinzugefügt, 1 Rechnung bereits erfasst, 20 Duplikate, 0 Fehler.');
    // The stored reason is English prose: a German body says where to read it instead.
    expect(importText({ ...base, status: 'failed', failure }, 'de-DE')).toEqual({ title: 'Ihr Import ist fehlgeschlagen', body: 'Ihr Import in Household ist fehlgeschlagen: Details finden Sie im Import.' });
    expect(importText({ ...base, status: 'failed', budgetName: null, failure: null }, 'de-DE').body).toBe('Ihr Import ist fehlgeschlagen: Details finden Sie im Import.');
    expect(importText({ ...base, budgetName: null }, 'de-DE').body).toBe('Ihr Import ist abgeschlossen: 1.980 hinzugefügt, 20 Duplikate, 0 Fehler.');
  });

  it('in French: no-break space before ":", narrow no-break space grouping, "0 erreur" (French singular for 0 and 1)', () => {
    expect(importText(base, 'fr-FR')).toEqual({
      title: 'Votre import est terminé',
      body: 'Votre import dans Household est terminé\u00A0: 1\u202F980 dépenses ajoutées, 20 doublons, 0 erreur.',
    });
    expect(importText({ ...base, imported: 1, duplicates: 1, errorCount: 2, matched: 1 }, 'fr-FR').body).toBe(
      'Votre import dans Household est terminé\u00A0: 1 dépense ajoutée, 1 facture déjà enregistrée, 1 doublon, 2 erreurs.',
    );
    // A million is "many" in French rules: the plural words.
    expect(importText({ ...base, imported: 1_000_000, budgetName: null }, 'fr-FR').body).toBe('Votre import est terminé\u00A0: 1\u202F000\u202F000 dépenses ajoutées, 20 doublons, 0 erreur.');
    expect(importText({ ...base, status: 'failed', failure }, 'fr-FR')).toEqual({ title: 'Votre import a échoué', body: "Votre import dans Household a échoué\u00A0: voir les détails dans l'import." });
  });

  it('in Spanish: four digits ungrouped, five grouped', () => {
    expect(importText(base, 'es-ES')).toEqual({ title: 'Tu importación ha terminado', body: 'Tu importación en Household ha terminado: 1980 gastos añadidos, 20 duplicados, 0 errores.' });
    expect(importText({ ...base, imported: 12_000, matched: 3 }, 'es-ES').body).toBe('Tu importación en Household ha terminado: 12.000 gastos añadidos, 3 facturas ya registradas, 20 duplicados, 0 errores.');
    expect(importText({ ...base, imported: 1, duplicates: 1, errorCount: 1, matched: 1 }, 'es-ES').body).toBe('Tu importación en Household ha terminado: 1 gasto añadido, 1 factura ya registrada, 1 duplicado, 1 error.');
    expect(importText({ ...base, status: 'failed', budgetName: null, failure }, 'es-ES')).toEqual({ title: 'Tu importación ha fallado', body: 'Tu importación ha fallado: consulta los detalles en la importación.' });
  });

  it('in English words for English and other languages (their own grouping), the reason kept; no locale: the text as before', () => {
    expect(importText({ ...base, imported: 12_345 }, 'ja-JP').body).toBe('Your import into Household finished: 12,345 added, 20 duplicates, 0 errors.');
    expect(importText({ ...base, imported: 12_345 }, 'en-IN').body).toBe('Your import into Household finished: 12,345 added, 20 duplicates, 0 errors.');
    expect(importText({ ...base, imported: 123_456 }, 'en-IN').body).toBe('Your import into Household finished: 1,23,456 added, 20 duplicates, 0 errors.');
    expect(importText({ ...base, status: 'failed', failure }, 'en-GB').body).toBe('Your import into Household failed: part 3 of the file failed every attempt.');
    expect(importText(base, null)).toEqual({ title: 'Your import finished', body: 'Your import into Household finished: 1,980 added, 20 duplicates, 0 errors.' });
    expect(importPush(base, 'd1', 'de-DE')).toMatchObject({
      id: 'import-n1-d1',
      title: 'Ihr Import ist abgeschlossen',
      body: 'Ihr Import in Household ist abgeschlossen: 1.980 hinzugefügt, 20 Duplikate, 0 Fehler.',
      data: { notificationId: 'n1', kind: 'import.finished', budgetId: 'b1', importId: 'i1', status: 'succeeded' },
    });
  });
});


describe("a failed import's reason by its code (the event's failureCode), written out by hand", () => {
  const failed = (failureCode: string | undefined, failure: string | null = 'the import stalled: nothing moved for 75 minutes (x); y') =>
    ({ ...base, status: 'failed' as const, failure, ...(failureCode === undefined ? {} : { failureCode }) });

  it("in German, French and Spanish: the catalog's words for each known code", () => {
    expect(importText(failed('stalled'), 'de-DE')).toEqual({ title: 'Ihr Import ist fehlgeschlagen', body: 'Ihr Import in Household ist fehlgeschlagen: er kam zu lange nicht voran.' });
    expect(importText({ ...failed('budget-deleted'), budgetName: null }, 'de-AT').body).toBe('Ihr Import ist fehlgeschlagen: das Budget wurde während des Imports gelöscht.');
    // Archived while it ran (the archive race, closed: packages/budgets/docs/budget-lifecycle.md "Archiving a budget").
    expect(importText({ ...failed('budget-archived'), budgetName: null }, 'de-AT').body).toBe('Ihr Import ist fehlgeschlagen: das Budget wurde während des Imports archiviert.');
    expect(importText(failed('part-failed'), 'de-DE').body).toBe('Ihr Import in Household ist fehlgeschlagen: ein Teil der Datei ist bei jedem Versuch fehlgeschlagen.');
    expect(importText(failed('not-started'), 'de-DE').body).toBe('Ihr Import in Household ist fehlgeschlagen: er konnte nicht gestartet werden.');
    expect(importText(failed('stalled'), 'fr-FR').body).toBe("Votre import dans Household a échoué\u00A0: il n'a pas progressé depuis trop longtemps.");
    expect(importText({ ...failed('budget-deleted'), budgetName: null }, 'fr-CA').body).toBe("Votre import a échoué\u00A0: le budget a été supprimé pendant l'import.");
    expect(importText(failed('part-failed'), 'es-ES').body).toBe('Tu importación en Household ha fallado: una parte del archivo falló en todos los intentos.');
    expect(importText(failed('not-started'), 'es-419').body).toBe('Tu importación en Household ha fallado: no se pudo iniciar.');
  });

  it('an unknown code (or none, a notification from before codes) says where to read it, as before codes', () => {
    expect(importText(failed('quota-exceeded'), 'de-DE').body).toBe('Ihr Import in Household ist fehlgeschlagen: Details finden Sie im Import.');
    expect(importText(failed('toString'), 'fr-FR').body).toBe("Votre import dans Household a échoué\u00A0: voir les détails dans l'import.");
    expect(importText(failed(undefined), 'es-ES').body).toBe('Tu importación en Household ha fallado: consulta los detalles en la importación.');
  });

  it("in English (no locale, en-GB, or a language without words) the stored reason's first clause, as before codes", () => {
    expect(importText(failed('stalled')).body).toBe('Your import into Household failed: the import stalled: nothing moved for 75 minutes.');
    expect(importText(failed('budget-deleted', 'the budget was deleted while importing'), 'en-GB').body).toBe('Your import into Household failed: the budget was deleted while importing.');
    expect(importText(failed('part-failed', null), 'ja-JP').body).toBe('Your import into Household failed: see the import for details.');
  });

  it('the push says the same', () => {
    expect(importPush(failed('stalled'), 'd1', 'de-DE')).toMatchObject({ title: 'Ihr Import ist fehlgeschlagen', body: 'Ihr Import in Household ist fehlgeschlagen: er kam zu lange nicht voran.' });
  });
});

describe("a credits=income import's notification tells its expenses and income entries apart (written out by hand)", () => {
  // 43 rows written, 2 of them income entries: 41 expenses.
  const income = { ...base, imported: 43, incomeImported: 2 };
  const one = { ...base, imported: 2, incomeImported: 1, duplicates: 1, errorCount: 1 };

  it('in English: plural and singular forms, grouped counts, matched bills kept in their place', () => {
    expect(importText(income)).toEqual({ title: 'Your import finished', body: 'Your import into Household finished: 41 expenses and 2 income entries added, 20 duplicates, 0 errors.' });
    expect(importText(one).body).toBe('Your import into Household finished: 1 expense and 1 income entry added, 1 duplicate, 1 error.');
    expect(importText({ ...base, imported: 3180, incomeImported: 1200, budgetName: null }, 'en-GB').body).toBe('Your import finished: 1,980 expenses and 1,200 income entries added, 20 duplicates, 0 errors.');
    expect(importText({ ...income, matched: 1 }).body).toBe('Your import into Household finished: 41 expenses and 2 income entries added, 1 bill already recorded, 20 duplicates, 0 errors.');
  });

  it('in German', () => {
    expect(importText(income, 'de-DE')).toEqual({ title: 'Ihr Import ist abgeschlossen', body: 'Ihr Import in Household ist abgeschlossen: 41 Ausgaben und 2 Einnahmen hinzugefügt, 20 Duplikate, 0 Fehler.' });
    expect(importText(one, 'de-AT').body).toBe('Ihr Import in Household ist abgeschlossen: 1 Ausgabe und 1 Einnahme hinzugefügt, 1 Duplikat, 1 Fehler.');
    expect(importText({ ...base, imported: 3180, incomeImported: 1200 }, 'de-DE').body).toBe('Ihr Import in Household ist abgeschlossen: 1.980 Ausgaben und 1.200 Einnahmen hinzugefügt, 20 Duplikate, 0 Fehler.');
  });

  it('in French: "0 dépense" (singular for 0 and 1), the participle plural for the two', () => {
    expect(importText(income, 'fr-FR')).toEqual({ title: 'Votre import est terminé', body: 'Votre import dans Household est terminé\u00A0: 41 dépenses et 2 revenus ajoutés, 20 doublons, 0 erreur.' });
    expect(importText({ ...one, imported: 1 }, 'fr-FR').body).toBe('Votre import dans Household est terminé\u00A0: 0 dépense et 1 revenu ajoutés, 1 doublon, 1 erreur.');
    expect(importText({ ...base, imported: 3180, incomeImported: 1200, matched: 2 }, 'fr-CA').body).toBe(
      'Votre import dans Household est terminé\u00A0: 1\u00A0980 dépenses et 1\u00A0200 revenus ajoutés, 2 factures déjà enregistrées, 20 doublons, 0 erreur.',
    );
  });

  it('in Spanish', () => {
    expect(importText(income, 'es-ES')).toEqual({ title: 'Tu importación ha terminado', body: 'Tu importación en Household ha terminado: 41 gastos y 2 ingresos añadidos, 20 duplicados, 0 errores.' });
    expect(importText(one, 'es-419').body).toBe('Tu importación en Household ha terminado: 1 gasto y 1 ingreso añadidos, 1 duplicado, 1 error.');
    expect(importText({ ...base, imported: 13_200, incomeImported: 1200 }, 'es-ES').body).toBe('Tu importación en Household ha terminado: 12.000 gastos y 1200 ingresos añadidos, 20 duplicados, 0 errores.');
  });

  it('without income entries (0 or absent) the text is byte for byte as before, in every language', () => {
    for (const n of [base, { ...base, incomeImported: 0 }]) {
      expect(importText(n).body).toBe('Your import into Household finished: 1,980 added, 20 duplicates, 0 errors.');
      expect(importText(n, 'de-DE').body).toBe('Ihr Import in Household ist abgeschlossen: 1.980 hinzugefügt, 20 Duplikate, 0 Fehler.');
      expect(importText(n, 'fr-FR').body).toBe('Votre import dans Household est terminé\u00A0: 1\u202F980 dépenses ajoutées, 20 doublons, 0 erreur.');
      expect(importText(n, 'es-ES').body).toBe('Tu importación en Household ha terminado: 1980 gastos añadidos, 20 duplicados, 0 errores.');
    }
  });

  it('a failed import says its reason as before; the push says what the text says', () => {
    expect(importText({ ...income, status: 'failed', failure: 'the budget was deleted while importing' }).body).toBe('Your import into Household failed: the budget was deleted while importing.');
    expect(importPush(income, 'd1', 'de-DE')).toMatchObject({
      title: 'Ihr Import ist abgeschlossen',
      body: 'Ihr Import in Household ist abgeschlossen: 41 Ausgaben und 2 Einnahmen hinzugefügt, 20 Duplikate, 0 Fehler.',
    });
    expect(importPush(income, 'd1')).toMatchObject({ body: 'Your import into Household finished: 41 expenses and 2 income entries added, 20 duplicates, 0 errors.' });
  });
});
