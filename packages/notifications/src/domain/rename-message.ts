import { localeCount, type PushMessage } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';
import type { MerchantRenameNotification } from '../model';
import { failureReason } from './import-message';

/**
 * What a merchant rename's notification says on a device (and in the app: its `message`): how
 * many expenses it renamed, or why it failed (its reason's first clause, or in another language
 * the words of its code, as an import's: failureReason). Named
 * by its `to` (the name the user chose; the `from` spellings can be many and cryptic, "AMZN
 * MKTP US*2K4"). In the recipient's `locale` as an import's (import-message.ts): de-DE "Ihre
 * Umbenennung in „Amazon“ im Budget Haushalt ist abgeschlossen: 1.037 Ausgaben umbenannt.";
 * without one, exactly the text before locales.
 */
export function renameText(n: MerchantRenameNotification, locale?: string | null): { title: string; body: string } {
  const words = localeMessages(locale);
  const { fill } = words;
  const { to, budgetName: budget } = n;
  if (n.status === 'failed') {
    const reason = failureReason(words, 'rename', n);
    return { title: fill('rename.title.failed'), body: budget ? fill('rename.failedIn', { to, budget, reason }) : fill('rename.failed', { to, reason }) };
  }
  const renamed = fill(`rename.renamed.${words.plural(n.renamed)}`, { count: localeCount(locale)(n.renamed) });
  return { title: fill('rename.title.finished'), body: budget ? fill('rename.finishedIn', { to, budget, renamed }) : fill('rename.finished', { to, renamed }) };
}

/** `budgetId` and `renameId` let the app open GET /v1/budgets/{budgetId}/merchant-renames/{renameId}. */
export function renamePush(n: MerchantRenameNotification, deviceId: string, locale?: string | null): PushMessage {
  const { title, body } = renameText(n, locale);
  return { id: `rename-${n.id}-${deviceId}`, title, body, data: { notificationId: n.id, kind: n.kind, budgetId: n.budgetId, renameId: n.renameId, status: n.status } };
}
