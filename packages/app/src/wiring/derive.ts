import type { ModuleRuntime } from '@budgeting/platform';
import type { ScheduleRow, SubscriptionRow } from './rows';
import { parseRate } from './schedule-expression';

export interface Wiring {
  subscriptions: SubscriptionRow[];
  schedules: ScheduleRow[];
}

export const MANIFEST_COMMAND = 'npx tsx packages/app/scripts/wiring-manifest.ts';

/**
 * The rows infra/ deploys, read off what the modules register: one bus rule per
 * Subscription (its name, its module, the source and detail-types of the events it declares)
 * and one schedule per ScheduledJob. Refuses what a bus rule or a schedule cannot express.
 */
export function deriveWiring(modules: ModuleRuntime[]): Wiring {
  const subscriptions = modules.flatMap((m) => (m.subscriptions ?? []).map((s): SubscriptionRow => {
    const sources = [...new Set(s.events.map((e) => e.source))];
    if (sources.length !== 1) {
      // One bus rule per subscription, and the rule name selects the subscription (rule-input.ts).
      throw new Error(`subscription "${s.name}" of ${m.name} must handle the events of exactly one publisher, not ${sources.length} (${sources.join(', ')}): split it`);
    }
    return { name: s.name, module: m.name, source: sources[0]!, detailTypes: [...new Set(s.events.map((e) => e.type))] };
  }));
  // Scheduled jobs: plain ones, and fan-out jobs (platform jobs/fan-out.ts) with a schedule, whose tick runs the planner.
  const scheduled = (m: ModuleRuntime) => [
    ...(m.schedules ?? []),
    ...(m.jobs ?? []).flatMap((j) => (j.schedule ? [{ name: j.name, schedule: j.schedule }] : [])),
  ];
  const schedules = modules.flatMap((m) =>
    scheduled(m).map((j): ScheduleRow => ({ name: j.name, module: m.name, schedule: parseRate(j.schedule).expression })),
  );
  for (const [kind, names] of [['subscriptions', subscriptions.map((s) => s.name)], ['scheduled jobs', schedules.map((s) => s.name)]] as const) {
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    if (twice.length > 0) throw new Error(`two ${kind} are named "${twice[0]}"`);
  }
  return { subscriptions, schedules };
}

/** The text of manifest.ts: the wiring as a TypeScript module infra/ imports without the modules' code. */
export function renderManifest({ subscriptions, schedules }: Wiring): string {
  const rows = (items: object[]) => items.map((item) => `  ${literal(item)},\n`).join('');
  return [
    `// Generated from the subscriptions and scheduled jobs the modules register: do not edit.`,
    `// Regenerate with \`${MANIFEST_COMMAND}\`; tests/unit/events/wiring-manifest.test.ts fails when it is stale.`,
    `import type { ScheduleRow, SubscriptionRow } from './rows';`,
    ``,
    `export const SUBSCRIPTIONS: SubscriptionRow[] = [\n${rows(subscriptions)}];`,
    ``,
    `export const SCHEDULES: ScheduleRow[] = [\n${rows(schedules)}];`,
    ``,
  ].join('\n');
}

/** A one-line TypeScript literal of plain data (strings, arrays, objects) in the code's style. */
function literal(value: unknown): string {
  if (typeof value === 'string') {
    if (/['\\\n]/.test(value)) throw new Error(`cannot write ${JSON.stringify(value)} into the manifest`);
    return `'${value}'`;
  }
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${literal(v)}`).join(', ')} }`;
  }
  throw new Error(`cannot write ${String(value)} into the manifest`);
}
