import { localeCount, type PushMessage } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';
import type { ImportUndoNotification } from '../model';
import { failureReason } from './import-message';

/**
 * The catalog's name of each failure code an import's undo sets (its event's `failureCode`): the
 * jobs' codes it can meet (an undo never meets a deleted budget: the import goes with it) and
 * its own two.
 */
const UNDO_REASON_NAMES = {
  'stalled': 'stalled',
  'budget-archived': 'budgetArchived',
  'part-failed': 'partFailed',
  'not-started': 'notStarted',
  'expired': 'expired',
  'import-undo-unavailable': 'unavailable',
} as const;

/**
 * What an import undo's notification says on a device (and in the app: its `message`): the
 * expenses it removed and kept (and, when some, those someone had deleted already), or why it
 * failed (its reason's first clause, or in another language the words of its code, as an
 * import's: failureReason). In the recipient's `locale` as an import's (import-message.ts):
 * de-DE "Das Rückgängigmachen Ihres Imports in Haushalt ist abgeschlossen: 1.980 Ausgaben
 * entfernt, 2 behalten (seitdem geändert)."; without one: "Your undo of an import into Household
 * finished: 1,980 expenses removed, 2 kept (changed since)."
 */
export function undoText(n: ImportUndoNotification, locale?: string | null): { title: string; body: string } {
  const words = localeMessages(locale);
  const { fill } = words;
  const budget = n.budgetName;
  if (n.status === 'failed') {
    const reason = failureReason(words, 'undo', n, UNDO_REASON_NAMES);
    return { title: fill('undo.title.failed'), body: budget ? fill('undo.failedIn', { budget, reason }) : fill('undo.failed', { reason }) };
  }
  const count = localeCount(locale);
  const of = (name: 'removed' | 'kept' | 'gone', value: number) => fill(`undo.${name}.${words.plural(value)}`, { count: count(value) });
  const parts = { removed: of('removed', n.removed), kept: of('kept', n.kept) };
  // Only when someone had deleted some of them first: two counts otherwise.
  const counts = n.gone > 0 ? fill('undo.countsGone', { ...parts, gone: of('gone', n.gone) }) : fill('undo.counts', parts);
  return { title: fill('undo.title.finished'), body: budget ? fill('undo.finishedIn', { budget, counts }) : fill('undo.finished', { counts }) };
}

/** `budgetId` and `importId` let the app open GET /v1/budgets/{budgetId}/imports/{importId} (its `undo`). */
export function undoPush(n: ImportUndoNotification, deviceId: string, locale?: string | null): PushMessage {
  const { title, body } = undoText(n, locale);
  return { id: `undo-${n.id}-${deviceId}`, title, body, data: { notificationId: n.id, kind: n.kind, budgetId: n.budgetId, importId: n.importId, status: n.status } };
}
