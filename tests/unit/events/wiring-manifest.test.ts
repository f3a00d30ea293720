import { readFileSync } from 'node:fs';
import { SCHEDULES, SUBSCRIPTIONS } from '@budgeting/app/wiring';
import { defineEvent, type ModuleRuntime } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deriveWiring, MANIFEST_COMMAND, renderManifest } from '../../../packages/app/src/wiring/derive';
import { registeredWiring } from '../../../packages/app/src/wiring/registered';

/**
 * The bus rules and schedules infra/ deploys (packages/app/src/wiring/manifest.ts) are
 * generated from what the modules register; a stale manifest would silently not deliver
 * events in AWS, so it fails here.
 */
describe('the wiring manifest', () => {
  it('is up to date with the subscriptions and jobs the modules register', () => {
    const committed = readFileSync(new URL('../../../packages/app/src/wiring/manifest.ts', import.meta.url), 'utf8');
    expect(committed === renderManifest(registeredWiring()), `the wiring manifest is out of date: run \`${MANIFEST_COMMAND}\``).toBe(true);
  });

  it('holds the rows of today (a rename or a dropped subscription shows up in review)', () => {
    expect(SUBSCRIPTIONS.map((r) => `${r.module}: ${r.name} <- ${r.source} ${r.detailTypes.join('|')}`).sort()).toEqual([
      'activity: activity-on-budgets <- budgeting.budgets budget.created|budget.updated|budget.member_added|budget.member_role_changed|budget.member_share_changed|budget.member_removed|budget.settlement_recorded|budget.settlement_updated|budget.settlement_deleted|budget.deleted',
      'activity: activity-on-comments <- budgeting.expenses expense.comment_added|expense.comment_deleted',
      'activity: activity-on-income <- budgeting.expenses income.recorded|income.updated|income.deleted',
      'budgets: budgets-on-budgets <- budgeting.budgets budget.deleted',
      'budgets: budgets-on-expenses <- budgeting.expenses expense.recorded|expense.updated|expense.deleted',
      'budgets: budgets-on-users <- budgeting.users user.deleted|user.email_changed|user.name_changed',
      'budgets: budgets-report-mail <- budgeting.budgets report.generated',
      'expenses: attachments-on-expenses <- budgeting.expenses expense.deleted',
      'expenses: calendar-feeds-on-members <- budgeting.budgets budget.member_removed',
      'expenses: comments-on-expenses <- budgeting.expenses expense.deleted',
      'expenses: expenses-on-budgets <- budgeting.budgets budget.deleted',
      'notifications: notifications-on-budgets <- budgeting.budgets budget.threshold_crossed|budget.overspend_projected',
      'notifications: notifications-on-expenses <- budgeting.expenses expense.comment_added|expense.import_finished|expense.merchant_rename_finished|expense.import_undo_finished|expense.recurring_due_soon|income.recorded',
      'notifications: notifications-on-users <- budgeting.users user.deleted|user.data_export_finished|user.sessions_ended|user.suspended|user.mfa_reset_by_operator',
      'users: users-email-changed-notice <- budgeting.users user.email_changed',
      'users: users-mfa-reset-notice <- budgeting.users user.mfa_reset_by_operator',
      'users: users-sign-in-alert <- budgeting.users user.signed_in_from_new_place',
      'webhooks: webhooks-on-budgets <- budgeting.budgets budget.created|budget.updated|budget.deleted|budget.member_added|budget.member_role_changed|budget.member_share_changed|budget.member_removed|budget.settlement_recorded|budget.settlement_updated|budget.settlement_deleted|budget.threshold_crossed|budget.overspend_projected|report.generated',
      'webhooks: webhooks-on-expenses <- budgeting.expenses expense.recorded|expense.updated|expense.deleted|expense.comment_added|expense.comment_deleted|expense.import_finished|expense.merchant_rename_finished|expense.import_undo_finished|expense.recurring_due_soon|income.recorded|income.updated|income.deleted',
      'webhooks: webhooks-on-users <- budgeting.users user.deleted',
    ]);
    expect(SCHEDULES).toEqual(
      expect.arrayContaining([
        { name: 'budget-reports', module: 'budgets', schedule: 'rate(1 hour)' },
        { name: 'recurring-expenses', module: 'expenses', schedule: 'rate(1 hour)' },
        { name: 'recurring-income', module: 'expenses', schedule: 'rate(1 hour)' },
        { name: 'recurring-reminders', module: 'expenses', schedule: 'rate(1 hour)' },
        { name: 'notifications-quiet-summary', module: 'notifications', schedule: 'rate(15 minutes)' },
        { name: 'expenses-totals-verify', module: 'expenses', schedule: 'rate(1 day)' },
      ]),
    );
    expect(SCHEDULES).toHaveLength(6);
  });

  it('keeps user.email_changed (it carries both addresses) away from the webhooks module', () => {
    const takers = SUBSCRIPTIONS.filter((r) => r.detailTypes.includes('user.email_changed')).map((r) => r.module);
    expect(takers.sort()).toEqual(['budgets', 'users']);
  });

  it('keeps user.signed_in_from_new_place (a device and network of the account holder) with the users module alone', () => {
    const takers = SUBSCRIPTIONS.filter((r) => r.detailTypes.includes('user.signed_in_from_new_place')).map((r) => r.module);
    expect(takers).toEqual(['users']);
  });
});

describe('deriving the wiring (fixture modules)', () => {
  const userDeleted = defineEvent('users', 'user.deleted', 1, z.object({ userId: z.string() }));
  const userRegistered = defineEvent('users', 'user.registered', 1, z.object({ userId: z.string() }));
  const budgetDeleted = defineEvent('budgets', 'budget.deleted', 1, z.object({ budgetId: z.string() }));
  const handle = async () => undefined;
  const modules = (overrides: Partial<ModuleRuntime> = {}): ModuleRuntime[] => [
    {
      name: 'budgets',
      subscriptions: [{ name: 'budgets-on-users', events: [userDeleted, userRegistered], handle }],
      schedules: [{ name: 'budget-reports', schedule: 'rate(1 day)', run: handle }],
      ...overrides,
    },
    { name: 'expenses', subscriptions: [{ name: 'expenses-on-budgets', events: [budgetDeleted], handle }] },
  ];

  it('makes one row per registered subscription and job, named after the module that registers it', () => {
    expect(deriveWiring(modules())).toEqual({
      subscriptions: [
        { name: 'budgets-on-users', module: 'budgets', source: 'budgeting.users', detailTypes: ['user.deleted', 'user.registered'] },
        { name: 'expenses-on-budgets', module: 'expenses', source: 'budgeting.budgets', detailTypes: ['budget.deleted'] },
      ],
      schedules: [{ name: 'budget-reports', module: 'budgets', schedule: 'rate(1 day)' }],
    });
  });

  it('refuses a subscription to two publishers, duplicate names and schedules AWS or the local scheduler would refuse', () => {
    expect(() => deriveWiring(modules({ subscriptions: [{ name: 'mixed', events: [userDeleted, budgetDeleted], handle }] }))).toThrow(
      /"mixed" of budgets must handle the events of exactly one publisher, not 2 \(budgeting.users, budgeting.budgets\)/,
    );
    expect(() => deriveWiring(modules({ subscriptions: [{ name: 'expenses-on-budgets', events: [budgetDeleted], handle }] }))).toThrow(
      /two subscriptions are named "expenses-on-budgets"/,
    );
    expect(() => deriveWiring(modules({ schedules: [{ name: 'x', schedule: 'rate(2 hour)', run: handle }] }))).toThrow(/use "hours" for 2/);
    expect(() => deriveWiring(modules({ schedules: [{ name: 'x', schedule: 'cron(5 0 * * ? *)', run: handle }] }))).toThrow(/expected rate/);
  });

  it('renders a TypeScript module of one literal row per line', () => {
    const text = renderManifest(deriveWiring(modules()));
    expect(text).toContain(`export const SUBSCRIPTIONS: SubscriptionRow[] = [
  { name: 'budgets-on-users', module: 'budgets', source: 'budgeting.users', detailTypes: ['user.deleted', 'user.registered'] },
  { name: 'expenses-on-budgets', module: 'expenses', source: 'budgeting.budgets', detailTypes: ['budget.deleted'] },
];`);
    expect(text).toContain(`export const SCHEDULES: ScheduleRow[] = [
  { name: 'budget-reports', module: 'budgets', schedule: 'rate(1 day)' },
];`);
    expect(() => renderManifest({ subscriptions: [], schedules: [{ name: "it's", module: 'm', schedule: 'rate(1 day)' }] })).toThrow(/cannot write/);
  });
});
