/**
 * Pure helpers that turn the subscription and schedule tables into AWS resource settings.
 * No SST globals here, so tests can check them (tests/lambda/infra-wiring.test.ts) against
 * the handler's own matching rules.
 */

export interface SubscriptionLike {
  name: string;
  source: string;
  detailTypes: string[];
}

export interface BusRule {
  /** The subscription row the rule is named after. */
  name: string;
  source: string;
  detailTypes: string[];
}

/**
 * One bus rule per subscription row, except that each (source, detail-type) pair is matched
 * by ONE rule only. The handler fans a bus event out to every subscription whose contracts
 * match it, so a second rule for the same pair would invoke the function twice and deliver
 * every subscriber the event twice (harmless thanks to the inboxes, but wasted work). A row
 * whose pairs are all covered by earlier rows gets no rule of its own.
 */
export function busRules(rows: readonly SubscriptionLike[]): BusRule[] {
  const covered = new Set<string>();
  const names = new Set<string>();
  const rules: BusRule[] = [];
  for (const row of rows) {
    if (names.has(row.name)) throw new Error(`duplicate subscription name "${row.name}"`);
    names.add(row.name);
    if (!row.source) throw new Error(`subscription "${row.name}" has no source`);
    const fresh = [...new Set(row.detailTypes)].filter((type) => !covered.has(`${row.source}\u0000${type}`));
    fresh.forEach((type) => covered.add(`${row.source}\u0000${type}`));
    if (fresh.length > 0) rules.push({ name: row.name, source: row.source, detailTypes: fresh });
  }
  return rules;
}

const RULE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The EventBridge rule name of a scheduled job: `<app>-<stage>-<job>`. The handler finds the
 * job by the rule name's `-<job>` suffix (packages/app/src/lambda/dispatch.ts jobForRule),
 * so this name is part of the contract between infra and the function.
 */
export function scheduleRuleName(app: string, stage: string, job: string): string {
  const name = `${app}-${stage}-${job}`;
  if (!RULE_NAME.test(name)) {
    throw new Error(`schedule rule name "${name}" must be 1-64 characters of A-Z a-z 0-9 . _ -`);
  }
  return name;
}

export type ScheduleExpression = `rate(${string})` | `cron(${string})`;

/** Checks an EventBridge schedule expression before AWS does (a typo fails at deploy time). */
export function scheduleExpression(job: string, schedule: string): ScheduleExpression {
  if (/^rate\(\s*\d+\s+(minute|minutes|hour|hours|day|days)\s*\)$/.test(schedule)) return schedule as ScheduleExpression;
  // cron(minutes hours day-of-month month day-of-week year): six fields.
  const cron = /^cron\((.+)\)$/.exec(schedule);
  if (cron && cron[1]!.trim().split(/\s+/).length === 6) return schedule as ScheduleExpression;
  throw new Error(`schedule of job "${job}" is not an EventBridge rate(...) or six-field cron(...): "${schedule}"`);
}

/** A Pulumi/SST component name from a free-form row name: `budgets.on-expense` -> `BudgetsOnExpense`. */
export function componentName(prefix: string, name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (words.length === 0) throw new Error(`cannot build a component name from "${name}"`);
  return prefix + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}
