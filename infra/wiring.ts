import { parseRate, type RateExpression } from '@budgeting/app/wiring';

/**
 * Pure helpers that turn the subscription and schedule tables into AWS resource settings.
 * No SST globals here, so tests (tests/lambda/infra-wiring.test.ts) can check them against
 * the handler's own matching rules.
 */

export interface SubscriptionLike {
  name: string;
  source: string;
  detailTypes: string[];
}

/**
 * One bus rule per subscription row. Each rule's target hands the function the rule's ARN in
 * `resources` (SUBSCRIPTION_RULE_INPUT of `@budgeting/app/wiring`), and bus delivery runs only the row the
 * rule is named after, so overlapping rows cost no duplicate deliveries. A row without a
 * source or detail-types would match nothing (or everything): refuse it before AWS does.
 */
export function subscriptionRules<T extends SubscriptionLike>(rows: readonly T[]): T[] {
  assertDistinctRuleSuffixes('subscription', rows.map((r) => r.name));
  for (const row of rows) {
    if (!row.source) throw new Error(`subscription "${row.name}" has no source`);
    if (row.detailTypes.length === 0) throw new Error(`subscription "${row.name}" has no detail-types`);
  }
  return [...rows];
}

/** One schedule rule per job row, refusing names the handler could confuse (see below). */
export function scheduleRules<T extends { name: string; schedule: string }>(rows: readonly T[]): (T & { expression: RateExpression })[] {
  assertDistinctRuleSuffixes('schedule', rows.map((r) => r.name));
  return rows.map((row) => ({ ...row, expression: scheduleExpression(row.name, row.schedule) }));
}

/**
 * The function matches a rule to a row by the `-<row name>` suffix of the rule's name, so a
 * row named `reports` would also claim the rule of a row named `budget-reports`. Refuse such
 * pairs (and plain duplicates) before deploying instead of running the wrong handler.
 */
export function assertDistinctRuleSuffixes(kind: string, names: readonly string[]): void {
  for (const [i, a] of names.entries()) {
    for (const [j, b] of names.entries()) {
      if (i === j) continue;
      if (a === b) throw new Error(`two ${kind} rows are named "${a}"`);
      if (a.endsWith(`-${b}`)) {
        throw new Error(`${kind} "${b}" would also match the rule of "${a}" (rules are matched by their -<name> suffix); rename one`);
      }
    }
  }
}

const RULE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The EventBridge rule name of a subscription or scheduled job: `<app>-<stage>-<row name>`.
 * The function finds the row by the `-<row name>` suffix of the rule ARN in the event's
 * `resources` (dispatch.ts jobForRule for schedules, bus-delivery.ts targetedRows for bus
 * rules), so this name is part of the contract between infra and the function.
 */
export function ruleName(app: string, stage: string, row: string): string {
  const name = `${app}-${stage}-${row}`;
  if (!RULE_NAME.test(name)) {
    throw new Error(`rule name "${name}" must be 1-64 characters of A-Z a-z 0-9 . _ -`);
  }
  return name;
}

/**
 * Checks a job's schedule expression before AWS does (a typo fails at deploy time), with the
 * same check the local scheduler runs it by (`parseRate` of `@budgeting/app/wiring`).
 */
export function scheduleExpression(job: string, schedule: string): RateExpression {
  try {
    return parseRate(schedule).expression;
  } catch (err) {
    throw new Error(`schedule of job "${job}": ${(err as Error).message}`, { cause: err });
  }
}

/** A Pulumi/SST component name from a free-form row name: `budgets.on-expense` -> `BudgetsOnExpense`. */
export function componentName(prefix: string, name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (words.length === 0) throw new Error(`cannot build a component name from "${name}"`);
  return prefix + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}
