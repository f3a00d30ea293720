import { ProblemSchema, idText } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { ChangedExpenseSchema, ChangedIncomeSchema, ChangedRecurringExpenseSchema, ChangedRecurringIncomeSchema, ChangesQuery, DeletedExpenseSchema } from './changes.schemas';
import { CreateExpenseBody, ExpenseSchema, UpdateExpenseBody, calendarDate } from './expenses.schemas';
import { CreateIncomeBody, IncomeSchema, UpdateIncomeBody } from './income.schemas';
import { CreateRecurringExpenseBody, RecordNextOccurrenceBody, RecurringExpenseSchema, UpdateRecurringExpenseBody } from './recurring.schemas';
import { CreateRecurringIncomeBody, RecordNextIncomeBody, RecurringIncomeSchema, UpdateRecurringIncomeBody } from './recurring-income.schemas';

/**
 * POST /v1/budgets/{budgetId}/changes: the mutations a client queued offline, applied in order,
 * each on its own (see service/push.service.ts). The whole body is checked first (a malformed
 * mutation is a 400 naming `mutations.N.field`); what only the budget can tell (a category that
 * is not the budget's, a stale version) is answered per mutation.
 */
export const PUSH_MAX_MUTATIONS = 100;

/** Canonical ULID: 26 Crockford base32 characters, upper case, at most 7ZZZ... (48-bit time). */
const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

const expenseId = idText(128).openapi({ example: '01JDEXPENSE0000000000000001' });
const baseVersion = z
  .number()
  .int()
  .min(1)
  .openapi({ example: 2, description: 'The version your change was made on; a different server version is a conflict.' });

const clientId = z
  .string()
  .regex(ULID_PATTERN, { error: 'Must be a ULID in upper case (26 characters, Crockford base32)' })
  .optional()
  .openapi({ example: '01JDX3Q7K9M2N4P6R8S0T1V3W5', description: 'Client-generated id; omit to let the server choose.' });

/** What a mutation writes: an expense (the default: clients written before income was pushed send no `type`) or an income entry. */
const expenseType = z.literal('expense').optional().openapi({ description: 'An expense mutation (the default).' });
const incomeType = z.literal('income').openapi({ description: 'An income entry mutation (income routes\' bodies).' });

const CreateMutation = z.object({ type: expenseType, op: z.literal('create'), id: clientId, expense: CreateExpenseBody }).strict();
const UpdateMutation = z.object({ type: expenseType, op: z.literal('update'), id: expenseId, baseVersion, patch: UpdateExpenseBody }).strict();
const DeleteMutation = z.object({ type: expenseType, op: z.literal('delete'), id: expenseId, baseVersion }).strict();

const incomeId = idText(128).openapi({ example: '01JDINCOME00000000000000001' });
const CreateIncomeMutation = z.object({ type: incomeType, op: z.literal('create'), id: clientId, income: CreateIncomeBody }).strict();
const UpdateIncomeMutation = z.object({ type: incomeType, op: z.literal('update'), id: incomeId, baseVersion, patch: UpdateIncomeBody }).strict();
const DeleteIncomeMutation = z.object({ type: incomeType, op: z.literal('delete'), id: incomeId, baseVersion }).strict();

/**
 * A recurring definition's five (a bills or paychecks screen offline): the body of its POST
 * under `recurringExpense` / `recurringIncome`, its PATCH body (`paused` too) as `patch`, its
 * DELETE, and its two actions, `skip` and `recordNext` (the `.../skip` and `.../record-next`
 * routes; record-next's body fields beside the others), which name the next occurrence the
 * client saw as well as its version: the jobs move the date without a new version.
 */
const definitionId = idText(128).openapi({ example: '01JDRECURRING0000000000001' });
const nextOccurrenceOn = calendarDate.openapi({
  example: '2026-12-01',
  description:
    "The next occurrence you saw (the definition's `nextOccurrenceOn` at `baseVersion`), the one to skip or record. The schedule's job moves it without a new version: another date on the server (it was recorded meanwhile) is a conflict, and nothing is done.",
});
const recurringExpenseType = z.literal('recurringExpense').openapi({ description: 'A recurring expense mutation (the recurring expense routes\' bodies).' });
const CreateRecurringExpenseMutation = z.object({ type: recurringExpenseType, op: z.literal('create'), id: clientId, recurringExpense: CreateRecurringExpenseBody }).strict();
const UpdateRecurringExpenseMutation = z.object({ type: recurringExpenseType, op: z.literal('update'), id: definitionId, baseVersion, patch: UpdateRecurringExpenseBody }).strict();
const DeleteRecurringExpenseMutation = z.object({ type: recurringExpenseType, op: z.literal('delete'), id: definitionId, baseVersion }).strict();
const SkipRecurringExpenseMutation = z.object({ type: recurringExpenseType, op: z.literal('skip'), id: definitionId, baseVersion, nextOccurrenceOn }).strict();
const RecordNextRecurringExpenseMutation = z
  .object({ type: recurringExpenseType, op: z.literal('recordNext'), id: definitionId, baseVersion, nextOccurrenceOn, ...RecordNextOccurrenceBody.shape })
  .strict();

const recurringIncomeType = z.literal('recurringIncome').openapi({ description: 'A recurring income mutation (the recurring income routes\' bodies).' });
const CreateRecurringIncomeMutation = z.object({ type: recurringIncomeType, op: z.literal('create'), id: clientId, recurringIncome: CreateRecurringIncomeBody }).strict();
const UpdateRecurringIncomeMutation = z.object({ type: recurringIncomeType, op: z.literal('update'), id: definitionId, baseVersion, patch: UpdateRecurringIncomeBody }).strict();
const DeleteRecurringIncomeMutation = z.object({ type: recurringIncomeType, op: z.literal('delete'), id: definitionId, baseVersion }).strict();
const SkipRecurringIncomeMutation = z.object({ type: recurringIncomeType, op: z.literal('skip'), id: definitionId, baseVersion, nextOccurrenceOn }).strict();
const RecordNextRecurringIncomeMutation = z
  .object({ type: recurringIncomeType, op: z.literal('recordNext'), id: definitionId, baseVersion, nextOccurrenceOn, ...RecordNextIncomeBody.shape })
  .strict();

/** Told apart by `type` (absent: expense), then by `op`: a bad field is named within its own kind's body. */
const MutationSchema = z.discriminatedUnion('type', [
  z.discriminatedUnion('op', [CreateMutation, UpdateMutation, DeleteMutation]),
  z.discriminatedUnion('op', [CreateIncomeMutation, UpdateIncomeMutation, DeleteIncomeMutation]),
  z.discriminatedUnion('op', [CreateRecurringExpenseMutation, UpdateRecurringExpenseMutation, DeleteRecurringExpenseMutation, SkipRecurringExpenseMutation, RecordNextRecurringExpenseMutation]),
  z.discriminatedUnion('op', [CreateRecurringIncomeMutation, UpdateRecurringIncomeMutation, DeleteRecurringIncomeMutation, SkipRecurringIncomeMutation, RecordNextRecurringIncomeMutation]),
]);

/** `since`: the client's current serverKnowledge (optional; the push's answer advances it over its own writes only, or keeps its paging position). */
export const PushQuery = z
  .object({
    since: ChangesQuery.shape.since.openapi({
      param: { name: 'since', in: 'query' },
      description:
        "Your current `serverKnowledge` (optional). The answered `serverKnowledge` moves past this push's own changes only (another member's change made after your token comes with the next sync), keeps its place in the pages still to come (a token from before income was synced: the budget's income) and the budget as your token saw it (a budget changed since comes with the next sync), so adopting it misses nothing. Not this budget's token: 400 naming `query.since`.",
    }),
  })
  .strict();

export const PushBody = z
  .object({
    mutations: z
      .array(MutationSchema)
      .min(1)
      .max(PUSH_MAX_MUTATIONS, { error: `At most ${PUSH_MAX_MUTATIONS} mutations per request` }),
  })
  .strict()
  .openapi('PushChanges', {
    example: {
      mutations: [
        { op: 'create', id: '01JDX3Q7K9M2N4P6R8S0T1V3W5', expense: { amount: 1250, occurredOn: '2026-11-24', merchant: 'Corner Market' } },
        { op: 'update', id: '01JDEXPENSE0000000000000001', baseVersion: 2, patch: { amount: 1400 } },
        { op: 'delete', id: '01JDEXPENSE0000000000000002', baseVersion: 1 },
        { type: 'income', op: 'create', id: '01JDX3Q7K9M2N4P6R8S0T1V3W6', income: { amount: 320000, receivedOn: '2026-11-28', source: 'Acme payroll' } },
        { type: 'recurringExpense', op: 'update', id: '01JDRECURRING0000000000001', baseVersion: 3, patch: { paused: true } },
        { type: 'recurringExpense', op: 'recordNext', id: '01JDRECURRING0000000000002', baseVersion: 1, nextOccurrenceOn: '2026-12-01', occurredOn: '2026-11-28' },
      ],
    },
  });

const Applied = z
  .object({
    status: z.literal('applied'),
    expense: ExpenseSchema.optional().openapi({ description: "The expense as stored now (create and update of an expense; a recurring expense's `recordNext`: the expense it recorded)." }),
    income: IncomeSchema.optional().openapi({ description: "The income entry as stored now (create and update of an income entry; a recurring income's `recordNext`: the entry it recorded)." }),
    recurringExpense: RecurringExpenseSchema.optional().openapi({ description: 'The recurring expense as GET answers it now (create, update, skip and recordNext of a recurring expense).' }),
    recurringIncome: RecurringIncomeSchema.optional().openapi({ description: 'The recurring income as GET answers it now (create, update, skip and recordNext of a recurring income).' }),
    id: z.string().optional().openapi({ description: 'The deleted expense, income entry or recurring definition (delete).' }),
    version: z.number().int().openapi({ description: "The version written (for a delete: the version that was deleted; for a recordNext: the recurring definition's)." }),
  })
  .openapi('PushApplied');
const Conflict = z
  .object({
    status: z.literal('conflict'),
    current: z
      .discriminatedUnion('kind', [ChangedExpenseSchema, DeletedExpenseSchema, ChangedIncomeSchema, ChangedRecurringExpenseSchema, ChangedRecurringIncomeSchema])
      .openapi({
        description:
          "The server's copy, told apart by `kind` as in GET /changes (`expense`, `income`, `recurringExpense` or `recurringIncome` after the mutation's `type`, or `deleted` with `{id, deleted: true}`: what the mutation named is gone); nothing was written.",
      }),
  })
  .openapi('PushConflict');
const Failed = z.object({ status: z.literal('error'), problem: ProblemSchema }).openapi('PushError');

export const PushResultSchema = z
  .object({
    results: z.array(z.discriminatedUnion('status', [Applied, Conflict, Failed])).openapi({ description: 'One per mutation, in order.' }),
    serverKnowledge: z.string().openapi({
      description:
        "A GET /changes token. Pushed with your current token as the `since` query: that token moved past this push's own changes only, stopping at another member's (which your next sync brings), keeping what it still had to page through (a token from before income was synced: the budget's income); safe to adopt. Without `since`: the budget's knowledge right after the batch, which includes other people's changes you may not have synced: adopt it only if you were in sync before pushing and nobody else wrote meanwhile; otherwise keep syncing from your last token.",
    }),
  })
  .openapi('PushResults', {
    example: {
      results: [
        {
          status: 'applied',
          expense: {
            id: '01JDX3Q7K9M2N4P6R8S0T1V3W5', budgetId: '01JDBUDGET00000000000000001', amount: 1250, categoryId: null,
            occurredOn: '2026-11-24', merchant: 'Corner Market', createdBy: '01JDUSER0000000000000000001', reviewed: true, version: 1,
            createdAt: '2026-11-24T12:00:00.000Z', updatedAt: '2026-11-24T12:00:00.000Z',
          },
          version: 1,
        },
        {
          status: 'conflict',
          current: {
            kind: 'expense',
            id: '01JDEXPENSE0000000000000001', budgetId: '01JDBUDGET00000000000000001', amount: 900, categoryId: null,
            occurredOn: '2026-11-20', createdBy: '01JDUSER0000000000000000002', reviewed: true, version: 3,
            createdAt: '2026-11-20T08:00:00.000Z', updatedAt: '2026-11-24T11:00:00.000Z',
          },
        },
        { status: 'applied', id: '01JDEXPENSE0000000000000002', version: 1 },
        {
          status: 'applied',
          income: {
            id: '01JDX3Q7K9M2N4P6R8S0T1V3W6', budgetId: '01JDBUDGET00000000000000001', amount: 320000, receivedOn: '2026-11-28', source: 'Acme payroll',
            createdBy: '01JDUSER0000000000000000001', version: 1, createdAt: '2026-11-28T12:00:00.000Z', updatedAt: '2026-11-28T12:00:00.000Z',
          },
          version: 1,
        },
        {
          status: 'applied',
          recurringExpense: {
            id: '01JDRECURRING0000000000001', budgetId: '01JDBUDGET00000000000000001', amount: 120000, categoryId: null, description: 'Rent',
            schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-12-01' }, nextOccurrenceOn: null, paused: true,
            pauses: [{ from: '2026-11-28', to: null }], createdBy: '01JDUSER0000000000000000001', version: 4,
            createdAt: '2026-11-20T08:00:00.000Z', updatedAt: '2026-11-28T12:00:00.000Z',
          },
          version: 4,
        },
        {
          status: 'applied',
          expense: {
            id: '01JDX3Q7K9M2N4P6R8S0T1V3W7', budgetId: '01JDBUDGET00000000000000001', amount: 4500, categoryId: null, occurredOn: '2026-11-28', merchant: 'Phone Co',
            createdBy: '01JDUSER0000000000000000001', reviewed: true, recurringExpenseId: '01JDRECURRING0000000000002', version: 1,
            createdAt: '2026-11-28T12:00:00.000Z', updatedAt: '2026-11-28T12:00:00.000Z',
          },
          recurringExpense: {
            id: '01JDRECURRING0000000000002', budgetId: '01JDBUDGET00000000000000001', amount: 4500, categoryId: null, merchant: 'Phone Co',
            schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-09-01' }, nextOccurrenceOn: '2027-01-01', paused: false,
            pauses: [], createdBy: '01JDUSER0000000000000000001', version: 2,
            createdAt: '2026-09-01T08:00:00.000Z', updatedAt: '2026-11-28T12:00:00.000Z',
          },
          version: 2,
        },
      ],
      serverKnowledge: 'eyJ2IjoxLCJzIjpbM...Q.h2kR...',
    },
  });

export type PushInput = z.infer<typeof PushBody>;
export type Mutation = PushInput['mutations'][number];
