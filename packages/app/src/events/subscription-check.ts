import type { ModuleRuntime } from '@budgeting/platform';
import type { ScheduleRow, SubscriptionRow } from './subscription-table';

/**
 * The subscription table (what infra deploys as bus rules and schedules) and the handlers the
 * modules register must describe the same thing. Returns every disagreement, in words; an
 * empty list means they match. Used by a test, so drift fails the build instead of silently
 * dropping events in AWS.
 */
export function subscriptionTableProblems(
  modules: ModuleRuntime[],
  rows: SubscriptionRow[],
  schedules: ScheduleRow[] = [],
): string[] {
  const problems: string[] = [];
  const registered = modules.flatMap((m) => (m.subscriptions ?? []).map((s) => ({ module: m.name, s })));

  duplicates(rows.map((r) => r.name)).forEach((n) => problems.push(`SUBSCRIPTIONS has two rows named "${n}"`));
  duplicates(registered.map((r) => r.s.name)).forEach((n) => problems.push(`two registered subscriptions are named "${n}"`));

  for (const row of rows) {
    const match = registered.find((r) => r.s.name === row.name);
    if (!match) {
      problems.push(`row "${row.name}" (${row.module}) has no registered Subscription`);
      continue;
    }
    if (match.module !== row.module) {
      problems.push(`row "${row.name}" says module ${row.module} but ${match.module} registers it`);
    }
    const declared = match.s.events.filter((c) => c.source === row.source).map((c) => c.type);
    const foreign = match.s.events.filter((c) => c.source !== row.source).map((c) => `${c.source}/${c.type}`);
    for (const type of row.detailTypes) {
      if (!declared.includes(type)) problems.push(`row "${row.name}" routes ${row.source}/${type} but the handler does not declare it`);
    }
    for (const type of declared) {
      if (!row.detailTypes.includes(type)) problems.push(`"${row.name}" declares ${row.source}/${type} but its row does not route it`);
    }
    for (const ev of foreign) problems.push(`"${row.name}" declares ${ev}, not from its row's source ${row.source}`);
  }
  for (const { module, s } of registered) {
    if (!rows.some((r) => r.name === s.name)) problems.push(`Subscription "${s.name}" of ${module} has no SUBSCRIPTIONS row`);
  }

  // Scheduled jobs: plain ones, and fan-out jobs that have a schedule (their tick runs the planner).
  const scheduled = (m: ModuleRuntime) => [
    ...(m.schedules ?? []),
    ...(m.jobs ?? []).flatMap((j) => (j.schedule ? [{ name: j.name, schedule: j.schedule }] : [])),
  ];
  const jobs = modules.flatMap((m) => scheduled(m).map((j) => ({ module: m.name, j })));
  for (const row of schedules) {
    const match = jobs.find((x) => x.j.name === row.name);
    if (!match) problems.push(`schedule row "${row.name}" (${row.module}) has no registered ScheduledJob`);
    else if (match.module !== row.module) problems.push(`schedule row "${row.name}" says module ${row.module} but ${match.module} registers it`);
    else if (match.j.schedule !== row.schedule) {
      problems.push(`schedule "${row.name}": row says ${row.schedule}, the job says ${match.j.schedule}`);
    }
  }
  for (const { module, j } of jobs) {
    if (!schedules.some((r) => r.name === j.name)) problems.push(`ScheduledJob "${j.name}" of ${module} has no SCHEDULES row`);
  }
  return problems;
}

function duplicates(names: string[]): string[] {
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
}
