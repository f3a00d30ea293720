/**
 * What the module builds on first use, in ONE file (one chunk: each chunk a cold start loads
 * costs it a module load, see expenses' service/deferred.ts): the repositories, the routes'
 * service, the alert subscriber's work and the unread count of the home overview. No cold start needs them before a request or an
 * event of this module arrives (issue 11).
 */
export { NotificationsRepository } from '../repository/notifications.repository';
export { DevicesRepository } from '../repository/devices.repository';
export { SummariesRepository } from '../repository/summaries.repository';
export { NotificationsService, notificationView } from './notifications.service';
export { alertMember } from '../subscriptions/alert-member';
export { notifyPace } from '../subscriptions/notify-pace';
export { notifyExport } from '../subscriptions/notify-export';
export { notifyImport } from '../subscriptions/notify-import';
export { notifyRename } from '../subscriptions/notify-rename';
export { notifyUndo } from '../subscriptions/notify-undo';
export { notifyBill } from '../subscriptions/notify-bill';
export { incomeRecipients, notifyIncome } from '../subscriptions/notify-income';
export { UNREAD_WINDOW, unreadAmong } from '../domain/unread';
export { commentRecipients, notifyComment } from '../subscriptions/notify-comment';
