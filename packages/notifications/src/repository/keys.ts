import type { ModuleStore } from '@budgeting/platform';
import type { GuardKey } from './notifications.repository';

/**
 * Every key the notifications module writes, in one place. All values start with
 * "notifications#" (ModuleStore refuses anything else).
 *
 * Notification        pk  notifications#user#<userId>          sk  notifications#n#<id>
 *   (ids are ULIDs, so the sort key is newest-last; read newest first; NotificationsRepository)
 * Alert guard         pk  notifications#user#<userId>          sk  notifications#alert#<budget>#<periodStart>#<periodEnd>#<scope>#<categoryId or ->#<threshold>
 *   (exactly one notification per (member, period, scope, threshold): the guard is put in the
 *   notification's transaction, on the condition that it does not exist. It remembers the
 *   notification id and which channels have been delivered, so a redelivered event finishes
 *   what a crashed one started and sends nothing twice; NotificationsRepository.createOnce)
 * Pace alert guard    pk  notifications#user#<userId>          sk  notifications#pace#<budget>#<periodStart>#<periodEnd>#<categoryId or ->
 * Export guard        pk  notifications#user#<userId>          sk  notifications#export#<exportId>
 *   (an export finishes once, so one notification per export however often the event comes)
 * Other guards        pk  notifications#user#<userId>          sk  notifications#<comment|import|rename|undo|bill|income>#...
 *   (one per the notification's key: guardParts below)
 * Summary reservation pk  notifications#user#<userId>          sk  notifications#summary#<windowEnd>
 *   due index (gsi1,  pk  notifications#summarydue#<shard>     sk  notifications#summarydue#<windowEnd>#<userId>
 *   only while its summary is still to go; SummariesRepository)
 * Read-all mark       pk  notifications#user#<userId>          sk  notifications#read-all
 *   (the newest notification id when "mark all read" was asked and the time. A notification
 *   whose id is at or before it reads as read: repository reads return the stored item; the
 *   service applies the mark, see model.ts)
 * Device              pk  notifications#user#<userId>          sk  notifications#device#<deviceId>
 * Push endpoint       pk  notifications#endpoint#<sha256 of the address>   sk  notifications#endpoint
 *   (its own partition: SNS's CreatePlatformEndpoint answers the EXISTING endpoint for a token it
 *   knows, so one phone signed in to two accounts gives both accounts' devices the same address.
 *   The item holds the set of devices using it (`users`, `<userId>#<deviceId>`), added in the
 *   device's own write; a removed device leaves the set first, and only the one that finds it
 *   empty deletes the item (a conditional delete) and so the SNS endpoint: DevicesRepository,
 *   service/release-device.ts)
 *
 * Everything of a user but the endpoints lives in the user's partition, so user.deleted's
 * cleanup (jobs/user-cleanup-job.ts, NotificationsRepository.sliceOfUser) empties it in bounded steps.
 */
export function userKeys(store: ModuleStore) {
  const userPk = (userId: string) => store.key('user', userId);
  return {
    userPk,
    /** A guard item's (and a summary reservation's) key. */
    guard: (k: GuardKey) => ({ pk: userPk(k.userId), sk: store.key(...guardParts(k)) }),
  };
}

/**
 * A guard's sort key parts by the kind of key it is (told apart by their fields, in this order:
 * an undo's key also has `importId`, a pace alert's and a threshold alert's both `budgetId`).
 */
function guardParts(k: GuardKey): (string | number)[] {
  if ('exportId' in k) return ['export', k.exportId];
  if ('commentId' in k) return ['comment', k.commentId];
  if ('undoAttempt' in k) return ['undo', k.importId, k.undoAttempt];
  if ('importId' in k) return ['import', k.importId];
  if ('renameId' in k) return ['rename', k.renameId];
  if ('recurringExpenseId' in k) return ['bill', k.budgetId, k.recurringExpenseId, k.dueOn];
  if ('incomeId' in k) return ['income', k.incomeId];
  if ('windowEnd' in k) return ['summary', k.windowEnd];
  if ('paceCategoryId' in k) return ['pace', k.budgetId, k.periodStart, k.periodEnd, k.paceCategoryId ?? '-'];
  return ['alert', k.budgetId, k.periodStart, k.periodEnd, k.scope, k.categoryId ?? '-', k.threshold];
}
