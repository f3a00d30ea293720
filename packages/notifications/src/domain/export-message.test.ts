import { describe, expect, it } from 'vitest';
import type { DataExportNotification } from '../model';
import { exportPush, exportText } from './export-message';

const ready: DataExportNotification = { id: 'n1', userId: 'u1', kind: 'data-export.ready', exportId: 'x1', createdAt: '2026-11-24T12:00:00.000Z', readAt: null };
const failed: DataExportNotification = { ...ready, kind: 'data-export.failed' };

describe("a data export's push", () => {
  it('says as before without a locale, with the ids the app opens the export with', () => {
    expect(exportPush(ready, 'd1')).toEqual({
      id: 'export-n1-d1',
      title: 'Your data export is ready',
      body: 'Open the app to download it. It is kept for 7 days.',
      data: { notificationId: 'n1', exportId: 'x1', kind: 'data-export.ready' },
    });
    expect(exportText(failed, null)).toEqual({ title: 'Your data export failed', body: 'Open the app to start a new one.' });
  });

  it("in the recipient's language (written out by hand)", () => {
    expect(exportText(ready, 'de-DE')).toEqual({ title: 'Ihr Datenexport ist bereit', body: 'Öffnen Sie die App, um ihn herunterzuladen. Er wird 7 Tage lang aufbewahrt.' });
    expect(exportText(failed, 'de-DE')).toEqual({ title: 'Ihr Datenexport ist fehlgeschlagen', body: 'Öffnen Sie die App, um einen neuen zu starten.' });
    expect(exportText(ready, 'fr-FR')).toEqual({ title: 'Votre export de données est prêt', body: "Ouvrez l'app pour le télécharger. Il est conservé 7 jours." });
    expect(exportText(failed, 'fr-FR')).toEqual({ title: 'Votre export de données a échoué', body: "Ouvrez l'app pour en lancer un nouveau." });
    expect(exportText(ready, 'es-ES')).toEqual({ title: 'Tu exportación de datos está lista', body: 'Abre la app para descargarla. Se conserva 7 días.' });
    expect(exportText(failed, 'es-ES')).toEqual({ title: 'Tu exportación de datos ha fallado', body: 'Abre la app para iniciar una nueva.' });
    expect(exportPush(failed, 'd2', 'de-DE')).toMatchObject({ id: 'export-n1-d2', title: 'Ihr Datenexport ist fehlgeschlagen' });
  });
});
