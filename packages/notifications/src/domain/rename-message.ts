import type { PushMessage } from '@budgeting/platform';
import type { MerchantRenameNotification } from '../model';
import { shortReason } from './import-message';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * What a merchant rename's notification says on a device: how many expenses it renamed, or why
 * it failed (its reason's first clause, as an import's). Named by its `to` (the name the user
 * chose; the `from` spellings can be many and cryptic, "AMZN MKTP US*2K4").
 */
export function renameText(n: MerchantRenameNotification): { title: string; body: string } {
  const what = `Your rename to "${n.to}"${n.budgetName ? ` in ${n.budgetName}` : ''}`;
  if (n.status === 'failed') return { title: 'Your merchant rename failed', body: `${what} failed: ${shortReason(n.failure, 'see the rename for details')}.` };
  return { title: 'Your merchant rename finished', body: `${what} finished: ${count(n.renamed)} ${n.renamed === 1 ? 'expense' : 'expenses'} renamed.` };
}

/** `budgetId` and `renameId` let the app open GET /v1/budgets/{budgetId}/merchant-renames/{renameId}. */
export function renamePush(n: MerchantRenameNotification, deviceId: string): PushMessage {
  const { title, body } = renameText(n);
  return { id: `rename-${n.id}-${deviceId}`, title, body, data: { notificationId: n.id, kind: n.kind, budgetId: n.budgetId, renameId: n.renameId, status: n.status } };
}
