import { describe, expect, it } from 'vitest';
import { lambdaNodejsOptions } from '../../infra/bundle';
import { componentName, ruleName, scheduleExpression, scheduleRules, subscriptionRules } from '../../infra/wiring';
import { targetedRows } from '../../packages/app/src/events/bus-delivery';
import { SCHEDULES, SUBSCRIPTIONS, type SubscriptionRow } from '@budgeting/app/wiring';
import { jobForRule } from '../../packages/app/src/lambda/dispatch';

/**
 * infra/ names the EventBridge rules; the function finds the job or subscription from the
 * rule ARN that arrives in `resources`. These tests hold the two sides to one contract, for
 * the rows of today's tables and for rows that do not exist yet.
 */
const job = (name: string) => ({ name, schedule: 'rate(1 hour)', run: async () => undefined });
const scheduleRuleArn = (name: string) => `arn:aws:events:eu-west-1:123456789012:rule/${name}`;
const busRuleArn = (name: string) => `arn:aws:events:eu-west-1:123456789012:rule/budgeting-prod-Bus/${name}`;

describe('schedule rules', () => {
  it('are named so the handler finds their job, and only theirs', () => {
    const rows = [
      { name: 'budget-reports', schedule: 'rate(1 day)' },
      { name: 'recurring-expenses', schedule: 'rate(1 hour)' },
    ];
    const jobs = scheduleRules(rows).map((r) => job(r.name));
    for (const row of rows) {
      expect(jobForRule(jobs, [scheduleRuleArn(ruleName('budgeting', 'prod', row.name))])?.name).toBe(row.name);
    }
    expect(jobForRule(jobs, [scheduleRuleArn(ruleName('budgeting', 'prod', 'other'))])).toBeUndefined();
  });

  it('refuse job names the handler could confuse: one is the -suffix of another', () => {
    // jobForRule would hand the rule of "budget-reports" to "reports" as well.
    const rows = [
      { name: 'budget-reports', schedule: 'rate(1 day)' },
      { name: 'reports', schedule: 'rate(1 day)' },
    ];
    expect(() => scheduleRules(rows)).toThrow(/"reports" would also match the rule of "budget-reports"/);
    expect(() => scheduleRules([rows[0]!, rows[0]!])).toThrow(/two schedule rows/);
  });

  it('match every row of SCHEDULES', () => {
    const jobs = scheduleRules(SCHEDULES).map((row) => job(row.name));
    for (const row of SCHEDULES) {
      expect(jobForRule(jobs, [scheduleRuleArn(ruleName('budgeting', 'production', row.name))])?.name).toBe(row.name);
    }
  });

  it('refuse names EventBridge would reject', () => {
    expect(() => ruleName('budgeting', 'prod', 'has space')).toThrow(/rule name/);
    expect(() => ruleName('budgeting', 'prod', 'x'.repeat(60))).toThrow(/1-64/);
  });

  it('accept the rate expressions the local scheduler runs and reject the rest, naming the job', () => {
    expect(scheduleExpression('a', 'rate(1 hour)')).toBe('rate(1 hour)');
    expect(scheduleExpression('a', 'rate(5 minutes)')).toBe('rate(5 minutes)');
    expect(() => scheduleExpression('a', 'rate(2 hour)')).toThrow(/job "a".*use "hours" for 2/);
    expect(() => scheduleExpression('a', 'cron(5 0 * * ? *)')).toThrow(/job "a".*expected rate/);
    expect(() => scheduleExpression('a', 'every hour')).toThrow(/"a"/);
    expect(() => scheduleExpression('a', 'rate(1 fortnight)')).toThrow();
  });
});

describe('bus rules', () => {
  const rows: SubscriptionRow[] = [
    { name: 'budgets-on-expense-recorded', module: 'budgets', source: 'budgeting.expenses', detailTypes: ['expense.recorded'] },
    { name: 'reports-on-expense-recorded', module: 'budgets', source: 'budgeting.expenses', detailTypes: ['expense.recorded'] },
  ];

  it('one rule per row; a rule ARN selects its own row even when rows overlap', () => {
    expect(subscriptionRules(rows)).toEqual(rows);
    for (const row of rows) {
      const arn = busRuleArn(ruleName('budgeting', 'prod', row.name));
      expect(targetedRows(rows, [arn]).map((r) => r.name)).toEqual([row.name]);
    }
  });

  it('match every row of SUBSCRIPTIONS', () => {
    for (const row of subscriptionRules(SUBSCRIPTIONS)) {
      const arn = busRuleArn(ruleName('budgeting', 'production', row.name));
      expect(targetedRows(SUBSCRIPTIONS, [arn]).map((r) => r.name)).toEqual([row.name]);
    }
  });

  it('refuse duplicate names and rows that would match nothing', () => {
    expect(() => subscriptionRules([rows[0]!, rows[0]!])).toThrow(/two subscription rows/);
    expect(() => subscriptionRules([{ ...rows[0]!, detailTypes: [] }])).toThrow(/no detail-types/);
    expect(() => subscriptionRules([{ ...rows[0]!, source: '' }])).toThrow(/no source/);
    // targetedRows would run "on-expense-recorded" for the rule of "budgets-on-expense-recorded" too.
    expect(() => subscriptionRules([rows[0]!, { ...rows[1]!, name: 'on-expense-recorded' }])).toThrow(/would also match/);
  });
});

describe('component names', () => {
  it('are PascalCase identifiers built from row names', () => {
    expect(componentName('Sub', 'budgets.on-expense_recorded')).toBe('SubBudgetsOnExpenseRecorded');
    expect(() => componentName('Sub', '--')).toThrow();
  });
});

describe('the SST bundle of the function', () => {
  it('uses the esbuild settings of npm run build (what the tests and the benchmark ran)', async () => {
    // Non-literal specifiers: these are plain .mjs files without type declarations.
    const buildScript = '@budgeting/app/build';
    const pluginsFile = '../../infra/esbuild-plugins.mjs';
    const { lambdaBuildOptions: build } = await import(buildScript);
    const { default: sstPlugins } = await import(pluginsFile);

    expect(lambdaNodejsOptions.format).toBe(build.format);
    expect(lambdaNodejsOptions.minify).toBe(build.minify);
    expect(lambdaNodejsOptions.splitting).toBe(build.splitting);
    expect(lambdaNodejsOptions.sourcemap).toBe(Boolean(build.sourcemap));
    expect(lambdaNodejsOptions.esbuild.target).toBe(build.target);
    expect(lambdaNodejsOptions.esbuild.mainFields).toEqual(build.mainFields);
    expect(lambdaNodejsOptions.esbuild.external).toEqual(build.external ?? []);
    expect(sstPlugins.map((p: { name: string }) => p.name)).toEqual(build.plugins.map((p: { name: string }) => p.name));
    // SST provides `require` through its own banner; build.mjs's banner exists for the same reason only.
    expect(build.banner?.js ?? '').toMatch(/createRequire/);
  });
});
