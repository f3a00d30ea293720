/**
 * EventBridge schedule expressions, evaluated locally so `npm start` runs the same SCHEDULES
 * as AWS: `rate(<n> minute|minutes|hour|hours|day|days)` and
 * `cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)` in UTC.
 *
 * Cron fields accept `*`, `?`, lists `a,b`, ranges `a-b`, steps `*\/n` and `a-b/n`, month
 * names JAN-DEC and day names SUN-SAT (1 = SUNDAY, as in EventBridge). As in EventBridge,
 * exactly one of day-of-month and day-of-week is `?`. `L`, `W` and `#` are refused with a
 * clear error rather than misread. The same rules are enforced here as by AWS (singular unit
 * for a rate of 1, six cron fields) so a bad expression fails on a laptop, not at deploy.
 */
export interface Schedule {
  expression: string;
  /** The first fire time strictly after `after`. */
  next(after: Date): Date;
}

export class ScheduleExpressionError extends Error {
  constructor(expression: string, reason: string) {
    super(`Unsupported schedule expression "${expression}": ${reason}`);
    this.name = 'ScheduleExpressionError';
  }
}

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

export function parseSchedule(expression: string, origin: Date = new Date()): Schedule {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (rate) return rateSchedule(expression, Number(rate[1]), rate[2]!, origin);
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (cron) return cronSchedule(expression, cron[1]!);
  throw new ScheduleExpressionError(expression, 'expected rate(...) or cron(...)');
}

/** A rate counts from `origin` (AWS counts from the rule's creation; locally, from start). */
function rateSchedule(expression: string, value: number, unitText: string, origin: Date): Schedule {
  if (!Number.isInteger(value) || value < 1) throw new ScheduleExpressionError(expression, 'the rate must be a positive integer');
  const singular = !unitText.endsWith('s');
  if ((value === 1) !== singular) {
    throw new ScheduleExpressionError(expression, value === 1 ? `use "${unitText.replace(/s$/, '')}" for 1` : `use "${unitText}s" for ${value}`);
  }
  const period = value * UNIT_MS[unitText.replace(/s$/, '') as keyof typeof UNIT_MS];
  const start = origin.getTime();
  return {
    expression,
    next(after) {
      const elapsed = after.getTime() - start;
      const k = elapsed < 0 ? 1 : Math.floor(elapsed / period) + 1;
      return new Date(start + k * period);
    },
  };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Value of names[0] (JAN = 1, SUN = 1). */
  namesFrom?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, namesFrom: 1 },
  { name: 'year', min: 1970, max: 2199 },
];

/** null = any value (`*` or `?`). */
type Field = Set<number> | null;

function cronSchedule(expression: string, body: string): Schedule {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) throw new ScheduleExpressionError(expression, `cron needs 6 fields, got ${parts.length}`);
  const dom = parts[2]!;
  const dow = parts[4]!;
  if ((dom === '?') === (dow === '?')) {
    throw new ScheduleExpressionError(expression, 'exactly one of day-of-month and day-of-week must be "?"');
  }
  const [minutes, hours, days, months, weekdays, years] = parts.map((p, i) => parseField(expression, p, FIELDS[i]!));

  const matchesDay = (d: Date) =>
    (days === null || days!.has(d.getUTCDate())) && (weekdays === null || weekdays!.has(d.getUTCDay() + 1));

  return {
    expression,
    next(after) {
      // Walk forward field by field (month, day, hour, minute), skipping whole spans that
      // cannot match; bounded by the last year a cron may name.
      const t = new Date(after.getTime());
      t.setUTCSeconds(0, 0);
      t.setUTCMinutes(t.getUTCMinutes() + 1);
      while (t.getUTCFullYear() <= 2199) {
        if (years && !years.has(t.getUTCFullYear())) {
          t.setUTCFullYear(t.getUTCFullYear() + 1, 0, 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (months && !months.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!matchesDay(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (hours && !hours.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
        } else if (minutes && !minutes.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
        } else {
          return new Date(t);
        }
      }
      throw new ScheduleExpressionError(expression, 'it never fires again');
    },
  };
}

function parseField(expression: string, raw: string, spec: FieldSpec): Field {
  const text = raw.toUpperCase();
  if (text === '*' || text === '?') return null;
  if (/[LW#]/.test(text.replace(/[A-Z]{3}/g, (n) => (spec.names?.includes(n) ? '0' : n)))) {
    throw new ScheduleExpressionError(expression, `${spec.name}: L, W and # are not supported locally`);
  }
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleExpressionError(expression, `${spec.name}: bad step "${part}"`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.max;
    } else if (range!.includes('-')) {
      const [a, b] = range!.split('-');
      from = value(expression, a!, spec);
      to = value(expression, b!, spec);
    } else {
      from = value(expression, range!, spec);
      to = stepText === undefined ? from : spec.max; // "5/15" = from 5 every 15
    }
    if (from > to) throw new ScheduleExpressionError(expression, `${spec.name}: range "${part}" runs backwards`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function value(expression: string, text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text) ?? -1;
  const v = named >= 0 ? named + (spec.namesFrom ?? 0) : Number(text);
  if (!Number.isInteger(v) || v < spec.min || v > spec.max) {
    throw new ScheduleExpressionError(expression, `${spec.name}: "${text}" is not in ${spec.min}-${spec.max}`);
  }
  return v;
}
