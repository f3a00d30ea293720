import { paginationQuery } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';

export const ListNotificationsQuery = z.object({ ...paginationQuery }).strict();

const id = (name: string, example: string) =>
  z.string().min(1).max(128).openapi({ param: { name, in: 'path' }, example });

export const NotificationParams = z.object({ notificationId: id('notificationId', '01JDNOTIFICATION0000000001') }).strict();
export const DeviceParams = z.object({ deviceId: id('deviceId', 'dXJ0eVRva2VuSGFzaA') }).strict();

const BUDGET_ALERT_EXAMPLE = {
  id: '01JDNOTIFICATION0000000001', kind: 'budget.alert', budgetId: '01JDBUDGET00000000000000001', budgetName: 'Household',
  currency: 'USD', scope: 'budget', categoryId: null, categoryName: null, threshold: 80, spent: 80_000, limit: 100_000,
  periodStart: '2026-11-01', periodEnd: '2026-11-30', createdAt: '2026-11-24T12:00:00.000Z', readAt: null,
};

const BudgetAlertNotificationSchema = z
  .object({
    id: z.string(),
    kind: z.literal('budget.alert'),
    budgetId: z.string(),
    budgetName: z.string(),
    currency: z.string().openapi({ example: 'USD' }),
    scope: z.enum(['budget', 'category']),
    categoryId: z.string().nullable(),
    categoryName: z.string().nullable(),
    threshold: z.number().int().openapi({ example: 80, description: 'Percent of the limit.' }),
    spent: z.number().int().openapi({ example: 8_000, description: 'Minor units, when the crossing was detected.' }),
    limit: z.number().int().openapi({ example: 10_000, description: 'Minor units (the category limit for a category alert).' }),
    periodStart: z.string().openapi({ format: 'date' }),
    periodEnd: z.string().openapi({ format: 'date' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    readAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('BudgetAlertNotification', {
    description: 'A budget (or one of its categories) reached a threshold of its limit in a period.',
    example: BUDGET_ALERT_EXAMPLE,
  });

const DataExportNotificationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['data-export.ready', 'data-export.failed']).openapi({ description: 'ready: the export succeeded and can be downloaded; failed: it failed (start a new one).' }),
    exportId: z.string().openapi({ description: 'GET /v1/me/exports/{exportId} shows it (and, once ready, its download URL).' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    readAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('DataExportNotification', {
    description: 'A data export of yours finished (POST /v1/me/export).',
    example: { id: '01JDNOTIFICATION0000000002', kind: 'data-export.ready', exportId: '01JDEXPORT0000000000000001', createdAt: '2026-11-24T12:00:09.000Z', readAt: null },
  });

const ExpenseCommentNotificationSchema = z
  .object({
    id: z.string(),
    kind: z.literal('expense.comment'),
    budgetId: z.string(),
    expenseId: z.string().openapi({ description: 'GET /v1/budgets/{budgetId}/expenses/{expenseId}/comments lists the conversation.' }),
    commentId: z.string(),
    authorId: z.string().openapi({ description: 'Who wrote the comment.' }),
    excerpt: z.string().openapi({ description: "The comment's first characters (at most 80, an ellipsis when cut)." }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    readAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('ExpenseCommentNotification', {
    description: 'Someone commented on an expense you recorded or commented on.',
    example: {
      id: '01JDNOTIFICATION0000000003', kind: 'expense.comment', budgetId: '01JDBUDGET00000000000000001', expenseId: '01JDEXPENSE0000000000000001',
      commentId: '01JDCOMMENT0000000000000001', authorId: '01JDUSER0000000000000000002', excerpt: 'Birthday present for Sam, split with Alex.',
      createdAt: '2026-11-24T12:00:00.000Z', readAt: null,
    },
  });

const ImportNotificationSchema = z
  .object({
    id: z.string(),
    kind: z.literal('import.finished'),
    budgetId: z.string(),
    budgetName: z.string().nullable().openapi({ description: 'The budget as you could read it when the import ended; null when it is gone (deleted while importing) or you left it.' }),
    importId: z.string().openapi({ description: 'GET /v1/budgets/{budgetId}/imports/{importId} shows the import (its error lines too).' }),
    status: z.enum(['succeeded', 'failed']),
    total: z.number().int().openapi({ description: 'Rows of the file (a bank statement: its debits).' }),
    imported: z.number().int(),
    duplicates: z.number().int(),
    matched: z.number().int().openapi({ description: 'Rows that were bills a recurring expense had already recorded, not recorded again (bill matching).' }),
    errorCount: z.number().int(),
    failure: z.string().nullable().openapi({ description: "A failed import's reason; null when it succeeded." }),
    message: z.string().openapi({ description: 'What it says (and what the push said), in the words and number format of the user\'s `locale` when they had one then (English without one).' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    readAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('ImportNotification', {
    description: 'A CSV or bank-statement import you started finished or failed (only you are told).',
    example: {
      id: '01JDNOTIFICATION0000000004', kind: 'import.finished', budgetId: '01JDBUDGET00000000000000001', budgetName: 'Household', importId: '01JDIMPORT0000000000000001',
      status: 'succeeded', total: 2000, imported: 1980, duplicates: 20, matched: 0, errorCount: 0, failure: null,
      message: 'Your import into Household finished: 1,980 added, 20 duplicates, 0 errors.', createdAt: '2026-11-24T12:04:00.000Z', readAt: null,
    },
  });

const MerchantRenameNotificationSchema = z
  .object({
    id: z.string(),
    kind: z.literal('merchant-rename.finished'),
    budgetId: z.string(),
    budgetName: z.string().nullable().openapi({ description: 'The budget as you could read it when the rename ended; null when it is gone (deleted while renaming) or you left it.' }),
    renameId: z.string().openapi({ description: 'GET /v1/budgets/{budgetId}/merchant-renames/{renameId} shows the rename.' }),
    from: z.array(z.string()).openapi({ description: 'The merchant names renamed, as asked.' }),
    to: z.string().openapi({ description: 'What they became.' }),
    status: z.enum(['succeeded', 'failed']),
    examined: z.number().int().openapi({ description: "The budget's expenses read (all of them when it succeeded)." }),
    renamed: z.number().int().openapi({ description: 'Expenses whose merchant became `to`.' }),
    failure: z.string().nullable().openapi({ description: "A failed rename's reason; null when it succeeded." }),
    message: z.string().openapi({ description: 'What it says (and what the push said), in the words and number format of the user\'s `locale` when they had one then (English without one).' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    readAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('MerchantRenameNotification', {
    description: 'A merchant rename you started (POST .../merchants/rename) finished or failed (only you are told).',
    example: {
      id: '01JDNOTIFICATION0000000006', kind: 'merchant-rename.finished', budgetId: '01JDBUDGET00000000000000001', budgetName: 'Household', renameId: '01JDRENAME00000000000000001',
      from: ['AMZN MKTP US*2K4', 'Amazon.com'], to: 'Amazon', status: 'succeeded', examined: 1240, renamed: 37, failure: null,
      message: 'Your rename to "Amazon" in Household finished: 37 expenses renamed.', createdAt: '2026-11-24T12:05:00.000Z', readAt: null,
    },
  });

const ImportUndoNotificationSchema = z
  .object({
    id: z.string(),
    kind: z.literal('import-undo.finished'),
    budgetId: z.string(),
    budgetName: z.string().nullable().openapi({ description: 'The budget as you could read it when the undo ended; null when it is gone or you left it.' }),
    importId: z.string().openapi({ description: 'GET /v1/budgets/{budgetId}/imports/{importId} shows the import and its `undo`.' }),
    attempt: z.number().int().openapi({ description: 'Which run of the undo ended: 1, then one more each time a failed undo was asked again (each run is told once).' }),
    status: z.enum(['succeeded', 'failed']),
    removed: z.number().int().openapi({ description: 'Expenses of the import deleted by the undo (all its runs).' }),
    kept: z.number().int().openapi({ description: 'Expenses of the import kept because they were changed since the import.' }),
    gone: z.number().int().openapi({ description: 'Expenses of the import someone had deleted before the undo reached them.' }),
    total: z.number().int().openapi({ description: "The import's `imported` when the undo started." }),
    failure: z.string().nullable().openapi({ description: "A failed undo's reason; null when it succeeded." }),
    message: z.string().openapi({ description: 'What it says (and what the push said), in the words and number format of the user\'s `locale` when they had one then (English without one).' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    readAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('ImportUndoNotification', {
    description: 'An undo of an import you asked for (POST .../imports/{importId}/undo) finished or failed (only you are told).',
    example: {
      id: '01JDNOTIFICATION0000000007', kind: 'import-undo.finished', budgetId: '01JDBUDGET00000000000000001', budgetName: 'Household', importId: '01JDIMPORT0000000000000001',
      attempt: 1, status: 'succeeded', removed: 1978, kept: 2, gone: 0, total: 1980, failure: null,
      message: 'Your undo of an import into Household finished: 1,978 expenses removed, 2 kept (changed since).', createdAt: '2026-11-24T12:09:00.000Z', readAt: null,
    },
  });

const BudgetPaceNotificationSchema = z
  .object({
    id: z.string(),
    kind: z.literal('budget.pace'),
    budgetId: z.string(),
    budgetName: z.string().openapi({ description: 'The budget as you could read it when the alert went out.' }),
    currency: z.string().openapi({ example: 'EUR' }),
    categoryId: z.string().nullable().openapi({ description: "The category whose pace it is; null: the budget's total." }),
    categoryName: z.string().nullable(),
    limit: z.number().int().openapi({ example: 50_000, description: "Minor units: what the projection was compared with (the line's limit; with rollover its available)." }),
    spent: z.number().int().openapi({ example: 31_000, description: 'Minor units spent in the period when the alert went out.' }),
    projected: z.number().int().openapi({ example: 62_000, description: 'Minor units the period would end at, at the pace so far (spent x days in the period / days elapsed, rounded up).' }),
    periodStart: z.string().openapi({ format: 'date' }),
    periodEnd: z.string().openapi({ format: 'date' }),
    message: z.string().openapi({ description: "What it says (and what the push said), in the words and number format of the user's `locale` when they had one then (English without one)." }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    readAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('BudgetPaceNotification', {
    description:
      'At the pace so far, a budget with pace alerts on (or one of its categories) would pass its limit by the end of the current period, ' +
      'before reaching it (budget.overspend_projected): once per period and line, from a quarter of the period on.',
    example: {
      id: '01JDNOTIFICATION0000000006', kind: 'budget.pace', budgetId: '01JDBUDGET00000000000000001', budgetName: 'Household', currency: 'EUR',
      categoryId: '01JDCATEGORY000000000000001', categoryName: 'Dining', limit: 50_000, spent: 31_000, projected: 62_000,
      periodStart: '2026-11-01', periodEnd: '2026-11-30', message: 'Dining: at this pace 620.00 of 500.00 EUR by 2026-11-30',
      createdAt: '2026-11-15T12:00:00.000Z', readAt: null,
    },
  });

const BillDueSoonNotificationSchema = z
  .object({
    id: z.string(),
    kind: z.literal('bill.due_soon'),
    budgetId: z.string(),
    budgetName: z.string().openapi({ description: 'The budget as you could read it when the reminder went out.' }),
    recurringExpenseId: z.string().openapi({ description: 'GET /v1/budgets/{budgetId}/recurring-expenses/{recurringExpenseId} shows it (pause or skip it there).' }),
    dueOn: z.string().openapi({ format: 'date', description: "The occurrence's date: tomorrow in the budget's time zone when the reminder went out." }),
    amount: z.number().int().openapi({ description: 'Minor units of `currency` (the budget\'s), as the recurring expense said then.' }),
    currency: z.string(),
    merchant: z.string().nullable(),
    description: z.string().nullable(),
    message: z.string().openapi({ description: 'What it says (and what the push said), in the words and number format of the user\'s `locale` when they had one then (English without one).' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    readAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('BillDueSoonNotification', {
    description: 'A recurring expense of a budget you belong to is due tomorrow (every member is told, the day before each occurrence, from 09:00 in the budget time zone; paused ones and skipped dates are not).',
    example: {
      id: '01JDNOTIFICATION0000000005', kind: 'bill.due_soon', budgetId: '01JDBUDGET00000000000000001', budgetName: 'Household', recurringExpenseId: '01JDRECURRING00000000000001',
      dueOn: '2026-12-01', amount: 120000, currency: 'EUR', merchant: 'Rent Co', description: 'Rent',
      message: 'Rent Co: 1200.00 EUR due tomorrow (2026-12-01) in Household.', createdAt: '2026-11-30T08:00:00.000Z', readAt: null,
    },
  });

const IncomeRecordedNotificationSchema = z
  .object({
    id: z.string(),
    kind: z.literal('income.recorded'),
    budgetId: z.string(),
    budgetName: z.string().openapi({ description: 'The budget as you could read it when the paycheck was recorded.' }),
    incomeId: z.string().openapi({ description: 'GET /v1/budgets/{budgetId}/income/{incomeId} shows the entry.' }),
    recurringIncomeId: z.string().openapi({ description: 'The recurring income that recorded it (GET /v1/budgets/{budgetId}/recurring-income/{recurringIncomeId}).' }),
    receivedOn: z.string().openapi({ format: 'date' }),
    amount: z.number().int().openapi({ description: "Minor units of `currency` (the budget's), as the entry said then." }),
    currency: z.string(),
    source: z.string().nullable(),
    description: z.string().nullable(),
    message: z.string().openapi({ description: 'What it says (and what the push said), in the words and number format of the user\'s `locale` when they had one then (English without one).' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    readAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('IncomeRecordedNotification', {
    description:
      'A recurring income of a budget you belong to recorded a paycheck (its scheduled job, or record-next by another member). Opt-in: only members with `notifications.push.income` on (PATCH /v1/me) get it.',
    example: {
      id: '01JDNOTIFICATION0000000007', kind: 'income.recorded', budgetId: '01JDBUDGET00000000000000001', budgetName: 'Household', incomeId: '01JDINCOME00000000000000001',
      recurringIncomeId: '01JDRECURINCOME000000000001', receivedOn: '2026-11-28', amount: 320000, currency: 'USD', source: 'Acme payroll', description: 'Salary',
      message: 'Salary 3200.00 USD from Acme payroll recorded (2026-11-28).', createdAt: '2026-11-28T06:00:00.000Z', readAt: null,
    },
  });

/** One notification; `kind` says which fields it has. */
export const NotificationSchema = z
  .discriminatedUnion('kind', [BudgetAlertNotificationSchema, BudgetPaceNotificationSchema, DataExportNotificationSchema, ExpenseCommentNotificationSchema, ImportNotificationSchema, MerchantRenameNotificationSchema, ImportUndoNotificationSchema, BillDueSoonNotificationSchema, IncomeRecordedNotificationSchema])
  // The example is the common kind; each kind's own schema carries its own.
  .openapi('Notification', { example: BUDGET_ALERT_EXAMPLE });

export const NotificationPageSchema = z
  .object({ items: z.array(NotificationSchema), nextCursor: z.string().nullable() })
  .openapi('NotificationPage');

export const RegisterDeviceBody = z
  .object({
    platform: z.enum(['apns', 'fcm']).openapi({ description: 'apns: an iOS device token; fcm: an Android (Firebase) registration token.' }),
    token: z
      .string()
      .trim()
      .min(1)
      .max(4096)
      .regex(/^[\x21-\x7e]+$/, { error: 'Must be visible ASCII (the token as the platform gave it)' })
      .openapi({ example: '740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad' }),
  })
  .strict()
  .openapi('RegisterDevice', { example: { platform: 'apns', token: '740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad' } });

export const DeviceSchema = z
  .object({
    id: z.string().openapi({ description: 'Stable for a (platform, token): registering the same token again returns the same device (an APNs token in upper or lower case is the same token).' }),
    platform: z.enum(['apns', 'fcm']),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Device', { example: { id: 'dXJ0eVRva2VuSGFzaA', platform: 'apns', createdAt: '2026-11-24T12:00:00.000Z' } });

export const DeviceListSchema = z
  .object({ items: z.array(DeviceSchema).openapi({ description: 'Newest first; at most 20.' }) })
  .openapi('DeviceList');

export const ReadAllSchema = z
  .object({
    readUpTo: z.string().nullable().openapi({ description: 'The newest notification marked read (and all before it); null when you have none.' }),
    readAt: z.string().nullable().openapi({ format: 'date-time', description: 'When they were marked read (the first time for the same readUpTo).' }),
  })
  .openapi('NotificationsReadAll', { example: { readUpTo: '01JDNOTIFICATION0000000001', readAt: '2026-11-24T12:00:00.000Z' } });

export type RegisterDeviceInput = z.infer<typeof RegisterDeviceBody>;
