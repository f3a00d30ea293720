/**
 * THE check of a job's schedule expression, shared by infra/ (before deploying a schedule)
 * and the local scheduler (which runs it on a timer), so an expression runs on a laptop
 * exactly when AWS would accept it.
 *
 * Only EventBridge rate expressions are accepted: `rate(<n> minute|minutes|hour|hours|day|days)`,
 * singular for 1 as AWS requires. No job needs a cron(...) expression, and one the local
 * scheduler could not run would only fail in AWS; a job that needs one should add a cron
 * library (croner) to the local scheduler first.
 */
export type RateExpression = `rate(${string})`;

export interface Rate {
  expression: RateExpression;
  /** The time between two runs. */
  periodMs: number;
}

export class ScheduleExpressionError extends Error {
  constructor(expression: string, reason: string) {
    super(`Unsupported schedule expression "${expression}": ${reason}`);
    this.name = 'ScheduleExpressionError';
  }
}

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

export function parseRate(expression: string): Rate {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!rate) throw new ScheduleExpressionError(expression, 'expected rate(<n> minute|minutes|hour|hours|day|days)');
  const value = Number(rate[1]);
  const unitText = rate[2]!;
  if (value < 1) throw new ScheduleExpressionError(expression, 'the rate must be a positive integer');
  const unit = unitText.replace(/s$/, '') as keyof typeof UNIT_MS;
  if ((value === 1) !== (unit === unitText)) {
    throw new ScheduleExpressionError(expression, value === 1 ? `use "${unit}" for 1` : `use "${unit}s" for ${value}`);
  }
  return { expression: expression as RateExpression, periodMs: value * UNIT_MS[unit] };
}
