import { describe, expect, it } from 'vitest';
import type { ImportUndoNotification } from '../model';
import { undoPush, undoText } from './undo-message';

const base: ImportUndoNotification = {
  id: 'n1', userId: 'u1', kind: 'import-undo.finished', budgetId: 'b1', budgetName: 'Household', importId: 'i1', attempt: 1,
  status: 'succeeded', removed: 1978, kept: 2, gone: 0, total: 1980, failure: null, message: '', createdAt: '2026-11-24T12:00:00.000Z', readAt: null,
};
const stalled = 'the undo stalled: nothing moved for 75 minutes (a part of it ended without being counted, e.g. its worker was stopped on its last attempt); the expenses removed before stay removed, undoing again goes on from there';

describe("an import undo notification's text", () => {
  it('says how many expenses it removed and kept, grouped, in the singular when one; those already deleted only when some', () => {
    expect(undoText(base)).toEqual({ title: 'Your undo of an import finished', body: 'Your undo of an import into Household finished: 1,978 expenses removed, 2 kept (changed since).' });
    expect(undoText({ ...base, removed: 1, kept: 0 }).body).toBe('Your undo of an import into Household finished: 1 expense removed, 0 kept (changed since).');
    expect(undoText({ ...base, removed: 3, kept: 1, gone: 1, budgetName: null }).body).toBe('Your undo of an import finished: 3 expenses removed, 1 kept (changed since), 1 already deleted.');
  });

  it("says a failed undo's reason by its first clause, and where to look without one", () => {
    expect(undoText({ ...base, status: 'failed', failure: stalled, failureCode: 'stalled' })).toEqual({
      title: 'Your undo of an import failed',
      body: 'Your undo of an import into Household failed: the undo stalled: nothing moved for 75 minutes.',
    });
    expect(undoText({ ...base, status: 'failed', budgetName: null, failure: null }).body).toBe('Your undo of an import failed: see the import for details.');
  });

  it('pushes ids the app opens the import with', () => {
    expect(undoPush(base, 'd1')).toMatchObject({ id: 'undo-n1-d1', data: { notificationId: 'n1', kind: 'import-undo.finished', budgetId: 'b1', importId: 'i1', status: 'succeeded' } });
  });
});

describe("an import undo notification's text in the recipient's locale (written out by hand)", () => {
  it('in German', () => {
    expect(undoText(base, 'de-DE')).toEqual({
      title: 'Das Rückgängigmachen Ihres Imports ist abgeschlossen',
      body: 'Das Rückgängigmachen Ihres Imports in Household ist abgeschlossen: 1.978 Ausgaben entfernt, 2 behalten (seitdem geändert).',
    });
    expect(undoText({ ...base, status: 'failed', failure: 'part 2 of the import was recorded before ...', failureCode: 'import-undo-unavailable' }, 'de-DE').body).toBe(
      'Das Rückgängigmachen Ihres Imports in Household ist fehlgeschlagen: der Import wurde erfasst, bevor Importe rückgängig gemacht werden konnten.',
    );
  });

  it('in French (no-break space before the colon, "1 dépense supprimée")', () => {
    expect(undoText({ ...base, removed: 1, kept: 0, budgetName: null }, 'fr-FR').body).toBe("L'annulation de votre import est terminée\u00A0: 1 dépense supprimée, 0 conservée (modifiée depuis).");
    expect(undoText({ ...base, status: 'failed', failure: stalled, failureCode: 'budget-archived' }, 'fr-CA').body).toBe(
      "L'annulation de votre import dans Household a échoué\u00A0: le budget a été archivé pendant l'annulation.",
    );
  });

  it('in Spanish, with a code it has no words for: where to look', () => {
    expect(undoText({ ...base, removed: 2, kept: 1, gone: 3 }, 'es-ES').body).toBe(
      'La anulación de tu importación en Household ha terminado: 2 gastos eliminados, 1 conservado (modificado desde entonces), 3 ya eliminados.',
    );
    expect(undoText({ ...base, status: 'failed', failure: stalled, failureCode: 'some-new-code' }, 'es-ES').body).toBe(
      'La anulación de tu importación en Household ha fallado: consulta los detalles en la importación.',
    );
    expect(undoText({ ...base, status: 'failed', failure: stalled, failureCode: 'expired' }, 'es-MX').body).toBe(
      'La anulación de tu importación en Household ha fallado: una parte de la importación había caducado.',
    );
  });
});
