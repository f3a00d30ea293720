import { newId, type PushMessage } from '@budgeting/platform';
import type { ImportNotification, ImportUndoNotification, MerchantRenameNotification } from '../model';
import { pushSettled, type GuardKey } from '../repository/notifications.repository';
import type { LoadedDeps } from './index';
import { pushOnce, quietHoursSkip } from './push-once';

/** The notifications that tell whoever started a bulk job on a budget's expenses how it ended. */
type StarterNotification = ImportNotification | MerchantRenameNotification | ImportUndoNotification;

/** What every starter notification holds besides its job's own facts (filled in here). */
type Common = 'id' | 'userId' | 'budgetId' | 'budgetName' | 'createdAt' | 'readAt' | 'message';

/**
 * How a finished bulk job (an import, a merchant rename, an import's undo) tells the user who started it, and
 * nobody else (the other members see the expenses themselves): once per job, created with its
 * guard item (`key`) in one transaction, so a redelivered event creates nothing; then a push to
 * each of their devices (pushOnce: a failed push fails the event, whose redelivery pushes again,
 * never a second notification). The push obeys `notifications.push.imports` (PATCH /v1/me), the
 * switch of the jobs a user starts: muted, the notification is still written and the push
 * marked done without being sent. In the user's quiet hours (`notifications.quietHours`, read
 * with the switch) it is not sent either, and marked skipped: never pushed later. No email.
 *
 * Reads: the user (gone: a deleted account gets nothing, its partition was emptied; its push
 * switch, quiet hours and `locale`, which the push and the stored `message` are written in:
 * import-message.ts, rename-message.ts, undo-message.ts) and the budget as they can read it, for its name (null
 * when it is gone, e.g. deleted while the job ran, or they left it: the notification still
 * tells them how their job ended). No other read.
 */
export async function notifyStarter<N extends StarterNotification>(
  d: LoadedDeps,
  job: {
    userId: string;
    budgetId: string;
    key: GuardKey;
    /** The job's own facts, `kind` included. */
    facts: Omit<N, Common>;
    /** What it says in the user's `locale` (their profile's, from the read above): the stored `message` is its body. */
    text: (notification: N, locale: string | null | undefined) => { body: string };
    push: (notification: N, deviceId: string, locale: string | null | undefined) => PushMessage;
  },
): Promise<void> {
  const [user, access] = await Promise.all([d.users.getById(job.userId), d.budgets.getAccess(job.budgetId, job.userId)]);
  if (!user) return;
  const now = d.clock.now();
  const unsaid = {
    ...job.facts,
    id: newId(now.getTime()),
    userId: job.userId,
    budgetId: job.budgetId,
    budgetName: access?.budget.name ?? null,
    createdAt: now.toISOString(),
    readAt: null,
    message: '',
  } as N;
  const fresh = { ...unsaid, message: job.text(unsaid, user.locale).body };
  const once = await d.repository.createOnce(job.key, fresh, d.users.accountCheck(job.key.userId));
  if (once === 'account-gone') return; // deleted meanwhile: nothing to tell, nothing left of it
  const { created, guard } = once;
  if (pushSettled(guard)) return;
  const stored = created ? fresh : await d.repository.get(job.userId, guard.notificationId);
  if (!stored || stored.kind !== fresh.kind) return;
  const notification = stored as N;
  const devices = user.notifications.push.imports ? await d.devices.devices(job.userId) : [];
  await pushOnce(d, { key: job.key, guard }, devices, (deviceId) => job.push(notification, deviceId, user.locale), quietHoursSkip(user, now));
}
