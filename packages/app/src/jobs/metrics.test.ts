import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixedClock, type FanOutJob } from '@budgeting/platform';
import { RECURRING_REMINDERS_JOB as EXPENSES_RECURRING_REMINDERS_JOB, TOTALS_VERIFY_JOB as EXPENSES_TOTALS_VERIFY_JOB } from '../../../expenses/src/jobs/names';
import { recurringRemindersJob } from '../../../expenses/src/jobs/recurring-reminders-job';
import { SCHEDULES } from '../wiring';
import { JOB_METRIC_NAMES, RECURRING_REMINDERS_JOB, SCHEDULES_WITHOUT_DUE_AGE, TOTALS_VERIFY_JOB } from './metric-names';
import { createJobMetrics } from './metrics';

/** What is written to stdout (where EMF lines go) from now on; afterEach restores the spy. */
function stdoutLines(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

/** Powertools Metrics is imported by ready() (not at start); once ready, figures still leave as EMF lines. */
describe('job metrics', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes one EMF document per figure, with the job as dimension, once ready() has loaded Powertools', async () => {
    const lines = stdoutLines();
    const metrics = createJobMetrics({ emit: true, stage: 'prod' });
    await metrics.ready();
    metrics.count('reports', 'UnitsProcessed', 3);
    const emf = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((d) => 'UnitsProcessed' in d);
    expect(emf).toMatchObject({ job: 'reports', UnitsProcessed: 3, _aws: { CloudWatchMetrics: [{ Namespace: 'Budgeting/Jobs/prod' }] } });
    expect(metrics.totals('reports').UnitsProcessed).toBe(3);
  });

  it("counts a relayed unit's dropped send as RelayedUnitDuplicatesDropped, one EMF document each, outside the job's totals", async () => {
    const lines = stdoutLines();
    const metrics = createJobMetrics({ emit: true, stage: 'prod' });
    await metrics.ready();
    metrics.relayedDuplicateDropped('users-password-reset-mail');
    metrics.relayedDuplicateDropped('users-password-reset-mail');
    const emf = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((d) => 'RelayedUnitDuplicatesDropped' in d);
    expect(emf).toHaveLength(2);
    for (const d of emf) {
      expect(d).toMatchObject({ job: 'users-password-reset-mail', RelayedUnitDuplicatesDropped: 1, _aws: { CloudWatchMetrics: [{ Namespace: 'Budgeting/Jobs/prod' }] } });
    }
    expect(metrics.relayedDuplicatesDropped('users-password-reset-mail')).toBe(2);
    expect(metrics.totals('users-password-reset-mail')).toEqual({
      DueUnits: 0,
      UnitsProcessed: 0,
      UnitsFailed: 0,
      UnitsContinued: 0,
      NotDueReads: 0,
      PlannerPages: 0,
      OldestDueAgeSeconds: 0,
    });
  });

  // infra/dashboard.ts graphs JOB_METRIC_NAMES, and tests/infra checks it graphs each: this is
  // what ties that list to what the EMF lines really name.
  it('names in its EMF lines exactly the metrics of JOB_METRIC_NAMES, the list infra/ graphs', async () => {
    const lines = stdoutLines();
    const metrics = createJobMetrics({ emit: true, stage: 'prod' });
    await metrics.ready();
    for (const figure of ['DueUnits', 'UnitsProcessed', 'UnitsFailed', 'UnitsContinued', 'NotDueReads', 'PlannerPages'] as const) metrics.count('reports', figure, 1);
    metrics.oldestDueAge('reports', 60);
    metrics.relayedDuplicateDropped('reports');
    metrics.relayedUnitDeferred('reports');
    metrics.report('reports', { BudgetsVerified: 1, BudgetsDrifted: 1, BudgetsBusy: 1, BudgetsSkipped: 1 });
    type Emf = { _aws?: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] } };
    const documents = lines.map((l) => JSON.parse(l) as Emf).filter((d) => d._aws);
    const named = documents.flatMap((d) => d._aws!.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name)));
    const expected = ['BudgetsBusy', 'BudgetsDrifted', 'BudgetsSkipped', 'BudgetsVerified', 'DueUnits', 'NotDueReads', 'OldestDueAgeSeconds', 'PlannerPages', 'RelayedUnitDuplicatesDropped', 'RelayedUnitsDeferred', 'UnitsContinued', 'UnitsFailed', 'UnitsProcessed'];
    expect([...new Set(named)].sort()).toEqual(expected);
    expect([...JOB_METRIC_NAMES].sort()).toEqual(expected);
    // The dimensions the dashboard's SEARCH over `{namespace,service,job}` finds them by.
    for (const d of documents) expect(d._aws!.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'job']]);
  });

  it('emits nothing when not asked to, and still keeps the totals', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const metrics = createJobMetrics({ emit: false, stage: 'prod' });
    await metrics.ready();
    metrics.count('reports', 'DueUnits', 2);
    expect(write).not.toHaveBeenCalled();
    expect(metrics.totals('reports').DueUnits).toBe(2);
  });

  it("sums the units' reports per job (what npm run job prints)", () => {
    const metrics = createJobMetrics({ emit: false, stage: 'prod' });
    expect(metrics.reportOf('reseal')).toEqual({});
    metrics.report('reseal', { resealed: 2, unopenableUsers: ['u1'] });
    metrics.report('reseal', { resealed: 1, unopenableUsers: ['u2'] });
    metrics.report('other', { resealed: 5 });
    expect(metrics.reportOf('reseal')).toEqual({ resealed: 3, unopenableUsers: ['u1', 'u2'] });
  });
});

/** A unit's report figures that are metrics too (platform REPORT_METRICS): the daily totals verification's. */
describe('job metrics: report figures that are metrics', () => {
  afterEach(() => vi.restoreAllMocks());

  it('emits a reported number named as a REPORT_METRICS metric (the totals verification) as that metric of its job, one EMF document each; other report figures only sum', async () => {
    const lines = stdoutLines();
    const metrics = createJobMetrics({ emit: true, stage: 'prod' });
    await metrics.ready();
    metrics.report('expenses-totals-verify', { BudgetsVerified: 1, BudgetsDrifted: 1, drifted: ['b1'], budgetsGone: 1 });
    metrics.report('expenses-totals-verify', { BudgetsVerified: 1 });
    const emf = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((d) => d._aws);
    expect(emf).toHaveLength(3);
    expect(emf.filter((d) => 'BudgetsVerified' in d)).toEqual([
      expect.objectContaining({ job: 'expenses-totals-verify', BudgetsVerified: 1 }),
      expect.objectContaining({ job: 'expenses-totals-verify', BudgetsVerified: 1 }),
    ]);
    expect(emf.find((d) => 'BudgetsDrifted' in d)).toMatchObject({ job: 'expenses-totals-verify', BudgetsDrifted: 1, _aws: { CloudWatchMetrics: [{ Namespace: 'Budgeting/Jobs/prod', Dimensions: [['service', 'job']], Metrics: [{ Name: 'BudgetsDrifted', Unit: 'Count' }] }] } });
    expect(emf.some((d) => 'budgetsGone' in d || 'drifted' in d)).toBe(false);
    expect(metrics.reportOf('expenses-totals-verify')).toEqual({ BudgetsVerified: 2, BudgetsDrifted: 1, drifted: ['b1'], budgetsGone: 1 });
  });

  it("names the totals verification's job as the expenses module does (infra alarms on its BudgetsDrifted by this name)", () => {
    expect(TOTALS_VERIFY_JOB).toBe(EXPENSES_TOTALS_VERIFY_JOB);
  });
});

/** Apart from the job's figures, as the dropped sends (the describe above). */
describe('job metrics: relayed units deferred', () => {
  afterEach(() => vi.restoreAllMocks());

  it("counts a relayed unit's deferred send as RelayedUnitsDeferred, one EMF document each with its job, apart from the dropped sends and the job's totals", async () => {
    const lines = stdoutLines();
    const metrics = createJobMetrics({ emit: true, stage: 'prod' });
    await metrics.ready();
    metrics.relayedUnitDeferred('users-password-reset-mail');
    metrics.relayedUnitDeferred('expenses-merchant-rename');
    metrics.relayedUnitDeferred('users-password-reset-mail');
    const emf = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((d) => 'RelayedUnitsDeferred' in d);
    expect(emf.map((d) => d.job)).toEqual(['users-password-reset-mail', 'expenses-merchant-rename', 'users-password-reset-mail']);
    for (const d of emf) expect(d).toMatchObject({ RelayedUnitsDeferred: 1, _aws: { CloudWatchMetrics: [{ Namespace: 'Budgeting/Jobs/prod', Metrics: [{ Name: 'RelayedUnitsDeferred', Unit: 'Count' }] }] } });
    expect(metrics.relayedUnitsDeferred('users-password-reset-mail')).toBe(2);
    expect(metrics.relayedUnitsDeferred('expenses-merchant-rename')).toBe(1);
    expect(metrics.relayedDuplicatesDropped('users-password-reset-mail')).toBe(0);
    expect(Object.values(metrics.totals('users-password-reset-mail')).every((v) => v === 0)).toBe(true);
  });

  it('alarms on the oldest due unit (JobDueAge-<job>, infra/jobs.ts) only for a scheduled job whose planner reports one', async () => {
    // The bill reminders' planner reads entries due AFTER its tick (the next 15 hours): it never
    // reports an oldest due unit, so OldestDueAgeSeconds is never emitted for it.
    const entry = { budgetId: 'b1', id: 'r1', createdBy: 'u1', nextOccurrenceOn: '2026-12-08', dueAt: '2026-12-08T00:00:00.000Z' };
    const reminders = recurringRemindersJob({
      reminders: { remindPage: async () => ({ entries: [entry] }) } as never,
      recurring: {} as never,
      budgets: {} as never,
      clock: fixedClock('2026-12-07T12:00:00Z'),
    }) as FanOutJob;
    expect(SCHEDULES.map((row) => row.name)).toContain(reminders.name);
    const page = await reminders.plan!(new Date('2026-12-07T12:00:00Z'), undefined, { logger: undefined as never });
    expect(page.units).toHaveLength(1);
    expect(page.oldestDueAt).toBeUndefined();
    expect(SCHEDULES_WITHOUT_DUE_AGE).toContain(reminders.name);
    expect(RECURRING_REMINDERS_JOB).toBe(EXPENSES_RECURRING_REMINDERS_JOB);
  });
});
