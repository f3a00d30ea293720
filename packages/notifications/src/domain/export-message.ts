import { type PushMessage } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';
import type { DataExportNotification } from '../model';

/**
 * What a data export's notification says on a device (the users module mails the user itself),
 * in the recipient's language (`locale`, platform locale-messages.ts; English without one, the
 * text as before locales).
 */
export function exportText(n: DataExportNotification, locale?: string | null) {
  const { fill } = localeMessages(locale);
  return n.kind === 'data-export.ready'
    ? { title: fill('export.ready.title'), body: fill('export.ready.body') }
    : { title: fill('export.failed.title'), body: fill('export.failed.body') };
}

/** `exportId` lets the app open GET /v1/me/exports/{exportId}. */
export function exportPush(n: DataExportNotification, deviceId: string, locale?: string | null): PushMessage {
  const { title, body } = exportText(n, locale);
  return { id: `export-${n.id}-${deviceId}`, title, body, data: { notificationId: n.id, exportId: n.exportId, kind: n.kind } };
}
