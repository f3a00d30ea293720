import { defineEvent, loadConfig, type ModuleRuntime } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { subscriptionTableProblems } from '../../../packages/app/src/events/subscription-check';
import { SCHEDULES, SUBSCRIPTIONS, type SubscriptionRow } from '../../../packages/app/src/events/subscription-table';
import { createSystem } from '../../../packages/app/src/system';

/**
 * SUBSCRIPTIONS is what infra deploys as bus rules; the modules' registered Subscriptions are
 * what runs. They must agree row for row, or events are silently not delivered in AWS.
 */
describe('the subscription table', () => {
  it('matches the subscriptions and scheduled jobs the modules register', () => {
    const system = createSystem({ config: loadConfig({ TOKEN_SIGNING_KEY: 'x'.repeat(40), LOG_LEVEL: 'SILENT' }) });
    expect(subscriptionTableProblems(system.modules, SUBSCRIPTIONS, SCHEDULES)).toEqual([]);
  });

  describe('the check itself (fixture modules)', () => {
    const userDeleted = defineEvent('users', 'user.deleted', 1, z.object({ userId: z.string() }));
    const budgetDeleted = defineEvent('budgets', 'budget.deleted', 1, z.object({ budgetId: z.string() }));
    const handle = async () => undefined;
    const modules: ModuleRuntime[] = [
      {
        name: 'budgets',
        subscriptions: [{ name: 'budgets-on-users', events: [userDeleted], handle }],
        schedules: [{ name: 'budget-reports', schedule: 'rate(1 hour)', run: handle }],
      },
      { name: 'expenses', subscriptions: [{ name: 'expenses-on-budgets', events: [budgetDeleted], handle }] },
    ];
    const rows: SubscriptionRow[] = [
      { name: 'budgets-on-users', module: 'budgets', source: 'budgeting.users', detailTypes: ['user.deleted'] },
      { name: 'expenses-on-budgets', module: 'expenses', source: 'budgeting.budgets', detailTypes: ['budget.deleted'] },
    ];
    const schedules = [{ name: 'budget-reports', module: 'budgets' as const, schedule: 'rate(1 hour)' }];

    it('passes when both sides agree', () => {
      expect(subscriptionTableProblems(modules, rows, schedules)).toEqual([]);
    });

    it('names a registered subscription without a row, and a row without a subscription', () => {
      const problems = subscriptionTableProblems(modules, [rows[0]!, { ...rows[1]!, name: 'expenses-on-budget' }], schedules);
      expect(problems).toEqual([
        'row "expenses-on-budget" (expenses) has no registered Subscription',
        'Subscription "expenses-on-budgets" of expenses has no SUBSCRIPTIONS row',
      ]);
    });

    it('names event types routed but not handled, handled but not routed, and the wrong module', () => {
      const problems = subscriptionTableProblems(
        modules,
        [{ ...rows[0]!, detailTypes: ['user.registered'] }, { ...rows[1]!, module: 'budgets' }],
        schedules,
      );
      expect(problems).toEqual([
        'row "budgets-on-users" routes budgeting.users/user.registered but the handler does not declare it',
        '"budgets-on-users" declares budgeting.users/user.deleted but its row does not route it',
        'row "expenses-on-budgets" says module budgets but expenses registers it',
      ]);
    });

    it('checks schedules both ways, including the expression', () => {
      expect(subscriptionTableProblems(modules, rows, [{ ...schedules[0]!, schedule: 'rate(2 hours)' }])).toEqual([
        'schedule "budget-reports": row says rate(2 hours), the job says rate(1 hour)',
      ]);
      expect(subscriptionTableProblems(modules, rows, [])).toEqual(['ScheduledJob "budget-reports" of budgets has no SCHEDULES row']);
    });
  });
});
