import { newId, type Clock, type EmailSender, type PushSender, type Subscription } from '@budgeting/platform';
import { budgetThresholdCrossed, type BudgetsFacade, type BudgetThresholdCrossedData } from '@budgeting/budgets';
import type { UsersFacade } from '@budgeting/users';
import { alertEmail, alertPush } from '../domain/alert-message';
import type { Notification } from '../model';
import type { AlertKey, NotificationsRepository } from '../repository/notifications.repository';

export const NOTIFICATIONS_ON_BUDGETS = 'notifications-on-budgets';

export interface AlertDeps {
  repository: NotificationsRepository;
  budgets: BudgetsFacade;
  users: UsersFacade;
  mail: EmailSender;
  push: PushSender;
  clock: Clock;
}

/**
 * budget.threshold_crossed -> one notification per member, an email to members who opted in
 * (PATCH /v1/me notifications.email.budgetAlerts) and a push to each of their devices.
 *
 * Exactly once per (member, period, scope, threshold): the notification is created with its
 * guard item in one transaction (see NotificationsRepository). Delivery comes after and is
 * recorded per channel on the guard, so a redelivered event (EventBridge retries, a failed
 * send) sends only what was not sent yet. No inbox: the guard is the idempotency record, keyed
 * by what must be unique rather than by event id.
 */
export function notificationsSubscriptions(d: AlertDeps): Subscription[] {
  return [
    {
      name: NOTIFICATIONS_ON_BUDGETS,
      events: [budgetThresholdCrossed],
      handle: async (event) => {
        const data = event.data as BudgetThresholdCrossedData;
        const members = await d.budgets.memberIds(data.budgetId);
        // One member's failed send must not stop the others; the retry skips what is done.
        const results = await Promise.allSettled(members.map((userId) => alertMember(d, data, userId)));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      },
    },
  ];
}

async function alertMember(d: AlertDeps, data: BudgetThresholdCrossedData, userId: string): Promise<void> {
  const access = await d.budgets.getAccess(data.budgetId, userId);
  if (!access) return; // left the budget (or it is gone) since the crossing
  const now = d.clock.now();
  const key: AlertKey = {
    userId,
    budgetId: data.budgetId,
    periodStart: data.periodStart,
    scope: data.scope,
    categoryId: data.categoryId,
    threshold: data.threshold,
  };
  const fresh: Notification = {
    id: newId(now.getTime()),
    userId,
    kind: 'budget.alert',
    budgetId: data.budgetId,
    budgetName: access.budget.name,
    currency: access.currency,
    scope: data.scope,
    categoryId: data.categoryId,
    categoryName: access.categories.find((c) => c.id === data.categoryId)?.name ?? null,
    threshold: data.threshold,
    spent: data.spent,
    limit: data.limit,
    periodStart: data.periodStart,
    periodEnd: data.periodEnd,
    createdAt: now.toISOString(),
    readAt: null,
  };
  const { created, guard } = await d.repository.createOnce(key, fresh);
  if (guard.emailedAt && guard.pushedAt) return;
  const notification = created ? fresh : await d.repository.get(userId, guard.notificationId);
  if (!notification) return;

  if (!guard.emailedAt) {
    const user = await d.users.getById(userId);
    if (user?.notifications.email.budgetAlerts) await d.mail.send(alertEmail(notification, user.email));
    await d.repository.markDelivered(key, 'emailedAt', d.clock.now().toISOString());
  }
  if (!guard.pushedAt) {
    const devices = await d.repository.devices(userId);
    await Promise.all(devices.map((device) => d.push.send(device.address, device.platform, alertPush(notification, device.id))));
    await d.repository.markDelivered(key, 'pushedAt', d.clock.now().toISOString());
  }
}
