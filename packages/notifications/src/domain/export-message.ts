import type { PushMessage } from '@budgeting/platform';
import type { DataExportNotification } from '../model';

/** What a data export's notification says on a device (the users module mails the user itself). */
export function exportText(n: DataExportNotification) {
  return n.kind === 'data-export.ready'
    ? { title: 'Your data export is ready', body: 'Open the app to download it. It is kept for 7 days.' }
    : { title: 'Your data export failed', body: 'Open the app to start a new one.' };
}

/** `exportId` lets the app open GET /v1/me/exports/{exportId}. */
export function exportPush(n: DataExportNotification, deviceId: string): PushMessage {
  const { title, body } = exportText(n);
  return { id: `export-${n.id}-${deviceId}`, title, body, data: { notificationId: n.id, exportId: n.exportId, kind: n.kind } };
}
