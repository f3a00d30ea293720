import type { PushMessage } from '@budgeting/platform';
import type { ImportNotification } from '../model';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * A failed import's reason, short: its first clause (the stored reason goes on to say what
 * stays and what to do: "...; rows recorded before stay, importing the file again adds only
 * the rest"), at most 120 characters. `missing`: what to say without a reason. A merchant
 * rename's reasons are written the same way (rename-message.ts).
 */
export function shortReason(failure: string | null, missing = 'see the import for details'): string {
  if (!failure) return missing;
  const clause = failure.split(/; | \(/)[0]!.trim();
  return clause.length > 120 ? `${clause.slice(0, 119)}…` : clause;
}

/** What an import's notification says on a device: its counts, or why it failed. */
export function importText(n: ImportNotification): { title: string; body: string } {
  const into = n.budgetName ? `into ${n.budgetName} ` : '';
  if (n.status === 'failed') return { title: 'Your import failed', body: `Your import ${into}failed: ${shortReason(n.failure)}.` };
  const errors = `${count(n.errorCount)} ${n.errorCount === 1 ? 'error' : 'errors'}`;
  const duplicates = `${count(n.duplicates)} ${n.duplicates === 1 ? 'duplicate' : 'duplicates'}`;
  // Only when some row matched a recorded bill: the message is as before otherwise.
  const matched = n.matched > 0 ? `${count(n.matched)} ${n.matched === 1 ? 'bill' : 'bills'} already recorded, ` : '';
  return { title: 'Your import finished', body: `Your import ${into}finished: ${count(n.imported)} added, ${matched}${duplicates}, ${errors}.` };
}

/** `budgetId` and `importId` let the app open GET /v1/budgets/{budgetId}/imports/{importId}. */
export function importPush(n: ImportNotification, deviceId: string): PushMessage {
  const { title, body } = importText(n);
  return { id: `import-${n.id}-${deviceId}`, title, body, data: { notificationId: n.id, kind: n.kind, budgetId: n.budgetId, importId: n.importId, status: n.status } };
}
