import { loadOnce, settleAll, type Clock, type EmailSender, type Logger, type PushSender, type Subscription } from '@budgeting/platform';
import { budgetOverspendProjected, budgetThresholdCrossed, type BudgetOverspendProjectedData, type BudgetsFacade, type BudgetThresholdCrossedData } from '@budgeting/budgets';
import {
  expenseCommentAdded,
  expenseImportFinished,
  expenseImportUndoFinished,
  expenseMerchantRenameFinished,
  expenseRecurringDueSoon,
  incomeRecorded,
  type ExpenseCommentAddedData,
  type ExpenseImportFinishedData,
  type ExpenseImportUndoFinishedData,
  type ExpenseMerchantRenameFinishedData,
  type ExpenseRecurringDueSoonData,
  type IncomeRecordedData,
} from '@budgeting/expenses';
import {
  userDataExportFinished,
  userDeleted,
  userMfaResetByOperator,
  userSessionsEnded,
  userSuspended,
  type UserDataExportFinishedData,
  type UserDeletedData,
  type UsersFacade,
} from '@budgeting/users';
import type { DevicesRepository } from '../repository/devices.repository';
import type { NotificationsRepository } from '../repository/notifications.repository';
import type { SummariesRepository } from '../repository/summaries.repository';
import { releaseDevice, releaseSessionDevice } from '../service/release-device';

export const NOTIFICATIONS_ON_BUDGETS = 'notifications-on-budgets';
export const NOTIFICATIONS_ON_USERS = 'notifications-on-users';
export const NOTIFICATIONS_ON_EXPENSES = 'notifications-on-expenses';

export interface AlertDeps {
  /** The repositories, each loaded on the first event that needs it (create-module.ts): an HTTP request never runs a subscriber. */
  repository: () => Promise<NotificationsRepository>;
  devices: () => Promise<DevicesRepository>;
  summaries: () => Promise<SummariesRepository>;
  budgets: BudgetsFacade;
  users: UsersFacade;
  mail: EmailSender;
  push: PushSender;
  clock: Clock;
  /** The module's logger: what a subscriber lets pass without failing the event (pushOnce's unrecorded devices). */
  logger: Logger;
  /** Queues the emptying of a deleted account's partition (create-module.ts; jobs/user-cleanup-job.ts). */
  cleanUpAccount: (userId: string) => Promise<void>;
}

/**
 * budget.threshold_crossed (and budget.overspend_projected, a pace alert: notify-pace.ts) -> one notification per member, an email to members who opted in
 * (PATCH /v1/me notifications.email.budgetAlerts) and a push to each of their devices
 * (unless notifications.push.budgetAlerts is off; the notification is written either way).
 *
 * Exactly once per (member, period, scope, threshold): the notification is created with its
 * guard item in one transaction (see NotificationsRepository). Delivery comes after and is
 * recorded per channel on the guard, so a redelivered event (EventBridge retries, a failed
 * send) sends only what was not sent yet. No inbox: the guard is the idempotency record, keyed
 * by what must be unique rather than by event id.
 */
export function notificationsSubscriptions(d: AlertDeps): Subscription[] {
  const alerts = deferred(d, (m, deps) => (data: BudgetThresholdCrossedData, userId: string) => m.alertMember(deps, data, userId));
  const paces = deferred(d, (m, deps) => (data: BudgetOverspendProjectedData, userId: string) => m.notifyPace(deps, data, userId));
  const exports = deferred(d, (m, deps) => (data: UserDataExportFinishedData) => m.notifyExport(deps, data));
  const comments = deferred(d, (m, deps) => ({
    commentRecipients: m.commentRecipients,
    notify: (data: ExpenseCommentAddedData, userId: string) => m.notifyComment(deps, data, userId),
  }));
  const imports = deferred(d, (m, deps) => (data: ExpenseImportFinishedData) => m.notifyImport(deps, data));
  const renames = deferred(d, (m, deps) => (data: ExpenseMerchantRenameFinishedData) => m.notifyRename(deps, data));
  const undos = deferred(d, (m, deps) => (data: ExpenseImportUndoFinishedData) => m.notifyUndo(deps, data));
  const bills = deferred(d, (m, deps) => (data: ExpenseRecurringDueSoonData, userId: string) => m.notifyBill(deps, data, userId));
  const paychecks = onIncomeRecorded(d);
  return [
    {
      name: NOTIFICATIONS_ON_BUDGETS,
      events: [budgetThresholdCrossed, budgetOverspendProjected],
      handle: async (event) => {
        if (event.type === budgetOverspendProjected.type) {
          // A pace alert: the same recipients and switches as a threshold alert (notify-pace.ts).
          const data = event.data as BudgetOverspendProjectedData;
          const [members, notify] = await Promise.all([d.budgets.memberIds(data.budgetId), paces()]);
          await settleAll(members.map((userId) => notify(data, userId)));
          return;
        }
        const data = event.data as BudgetThresholdCrossedData;
        const [members, alertMember] = await Promise.all([d.budgets.memberIds(data.budgetId), alerts()]);
        // One member's failed send must not stop the others; the retry skips what is done.
        await settleAll(members.map((userId) => alertMember(data, userId)));
      },
    },
    {
      // user.data_export_finished -> a data-export.ready / data-export.failed notification and
      // a push to the user's devices, once per export (see notify-export.ts).
      // user.deleted -> a deleted account's notifications and devices go with it: each device
      // is released as DELETE /v1/me/devices does (its endpoint unregistered, best effort,
      // only when no other account's device uses it: service/release-device.ts), then its
      // partition is emptied by a job in bounded steps (jobs/user-cleanup-job.ts: it grows with
      // the account's 180 days). Safe to run twice: a second run finds what is left. The events
      // that end sessions release their devices (releaseEndedSessionsDevices), safe twice too.
      name: NOTIFICATIONS_ON_USERS,
      events: [userDeleted, userDataExportFinished, userSessionsEnded, userSuspended, userMfaResetByOperator],
      handle: async (event) => {
        if (event.type === userDataExportFinished.type) return (await exports())(event.data as UserDataExportFinishedData);
        if (event.type !== userDeleted.type) return releaseEndedSessionsDevices(d, (event.data as { userId: string }).userId);
        await forgetAccount(d, (event.data as UserDeletedData).userId);
      },
    },
    {
      // expense.comment_added -> an expense.comment notification (and a push, unless muted) to the expense's
      // creator and earlier commenters still in the budget, never the author; once per
      // (recipient, comment) however often the event comes (see notify-comment.ts).
      // expense.import_finished -> an import notification (and a push, unless muted) to the
      // user who started the import only, once per import (see notify-import.ts).
      // expense.merchant_rename_finished -> the same for a merchant rename, to its starter only,
      // once per rename (see notify-rename.ts).
      // expense.import_undo_finished -> the same for a run of an import's undo, to whoever asked
      // for it, once per run (see notify-undo.ts).
      // expense.recurring_due_soon -> a bill.due_soon notification (and a push, unless muted)
      // to every member of the budget, once per (member, definition, date) (see notify-bill.ts).
      name: NOTIFICATIONS_ON_EXPENSES,
      events: [expenseCommentAdded, expenseImportFinished, expenseMerchantRenameFinished, expenseImportUndoFinished, expenseRecurringDueSoon, incomeRecorded],
      handle: async (event) => {
        if (event.type === incomeRecorded.type) return paychecks(event.data as IncomeRecordedData);
        if (event.type === expenseImportFinished.type) return (await imports())(event.data as ExpenseImportFinishedData);
        if (event.type === expenseMerchantRenameFinished.type) return (await renames())(event.data as ExpenseMerchantRenameFinishedData);
        if (event.type === expenseImportUndoFinished.type) return (await undos())(event.data as ExpenseImportUndoFinishedData);
        if (event.type === expenseRecurringDueSoon.type) {
          const data = event.data as ExpenseRecurringDueSoonData;
          const [members, notify] = await Promise.all([d.budgets.memberIds(data.budgetId), bills()]);
          await settleAll(members.map((userId) => notify(data, userId)));
          return;
        }
        const data = event.data as ExpenseCommentAddedData;
        const [members, { commentRecipients, notify }] = await Promise.all([d.budgets.memberIds(data.budgetId), comments()]);
        await settleAll(commentRecipients(data, members).map((userId) => notify(data, userId)));
      },
    },
  ];
}

/**
 * A deleted account's devices released (as DELETE /v1/me/devices; at most 20), then the emptying
 * of its partition queued: the devices first, as the cleanup deletes their items.
 */
async function forgetAccount(d: AlertDeps, userId: string): Promise<void> {
  const devices = await d.devices();
  const kept = await devices.devices(userId);
  await settleAll(kept.map((device) => releaseDevice({ devices, push: d.push }, device, 'removed')));
  await d.cleanUpAccount(userId);
}

/**
 * Sessions of the account ended (README "Devices and sessions"): each device a session
 * registered is released, as DELETE /v1/me/devices does, once that session is over. Which are
 * is asked of the users module (UsersFacade.endedSessions: one BatchGetItem), not taken from the
 * event, so a late or redelivered event never releases a device a newer session registered
 * again, and one event of several endings at once releases what each of them left. At most
 * DEVICES_PER_USER devices (one Query); a user whose devices name no session costs nothing more.
 */
async function releaseEndedSessionsDevices(d: AlertDeps, userId: string): Promise<void> {
  const devices = await d.devices();
  const ofSessions = (await devices.devices(userId)).filter((device): device is typeof device & { sessionId: string } => device.sessionId !== undefined);
  if (ofSessions.length === 0) return;
  const ended = new Set(await d.users.endedSessions(userId, ofSessions.map((device) => device.sessionId)));
  await settleAll(ofSessions.filter((device) => ended.has(device.sessionId)).map((device) => releaseSessionDevice({ devices, push: d.push }, device)));
}

/**
 * income.recorded with `via: "recurring"` (a paycheck a recurring income recorded: its job, or a
 * record-next) -> an income.recorded notification (and a push) to each member who opted in
 * (push.income, default off), but the one who recorded it by hand; once per (member, entry)
 * (notify-income.ts). Every other income.recorded (a POST, an import's credit) is dropped here,
 * before any read or the deferred code's load.
 */
function onIncomeRecorded(d: AlertDeps): (data: IncomeRecordedData) => Promise<void> {
  const paychecks = deferred(d, (m, deps) => ({
    incomeRecipients: m.incomeRecipients,
    notify: (data: IncomeRecordedData & { recurringIncomeId: string }, userId: string) => m.notifyIncome(deps, data, userId),
  }));
  return async (data) => {
    if (data.via !== 'recurring' || data.recurringIncomeId === undefined) return;
    const paycheck = { ...data, recurringIncomeId: data.recurringIncomeId };
    const [members, { incomeRecipients, notify }] = await Promise.all([d.budgets.memberIds(data.budgetId), paychecks()]);
    await settleAll(incomeRecipients(paycheck, members).map((userId) => notify(paycheck, userId)));
  };
}

/** The module's repositories, loaded: the notifications with their guards, the devices, the quiet-hours summaries. */
export interface LoadedRepositories {
  repository: NotificationsRepository;
  devices: DevicesRepository;
  summaries: SummariesRepository;
}

/** The subscribers' deps with the repositories loaded. */
export type LoadedDeps = Omit<AlertDeps, keyof LoadedRepositories> & LoadedRepositories;

/**
 * A reaction's code, loaded once, with the repositories, on the first event that needs it: the
 * one lazily imported file (service/deferred.ts), never on a cold start.
 */
function deferred<T>(d: AlertDeps, make: (m: typeof import('../service/deferred'), deps: LoadedDeps) => T): () => Promise<T> {
  return loadOnce(async () => {
    const [m, repository, devices, summaries] = await Promise.all([import('../service/deferred'), d.repository(), d.devices(), d.summaries()]);
    return make(m, { ...d, repository, devices, summaries });
  });
}
