/**
 * "Scheduled work" (issue 10): what one unit of each fan-out job costs, measured on DynamoDB
 * Local through the system's own planner and worker, and the projection docs/capacity.md
 * uses. Every request of the system's DocumentClient goes through a meter (requests, and the
 * capacity DynamoDB reports with ReturnConsumedCapacity: TOTAL).
 *
 * - 200 monthly budgets whose month ended (UTC) plus 50 in Los Angeles whose month has not
 *   ended there yet; one tick. jobs.requestsPerReport = worker requests / reports;
 *   jobs.plannerRequestsPer1000Due = planner requests per 1,000 due units (16 shard Queries
 *   plus one per 100 due); jobs.notYetDueReadsPerTick = budgets and definitions a tick read
 *   that were not due (goal 0).
 * - 200 due monthly recurring definitions (20 budgets x 10) plus 50 due tomorrow:
 *   jobs.requestsPerOccurrence.
 * - jobs.hoursToClear1M / hoursToClear100k: due units x measured seconds per report (one
 *   worker, sequential) / 1,000 concurrent invocations (goal < 1 h for 1 M).
 *
 * Standalone: `npx tsx bench/scheduled-work.ts`.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClients, createLogger, fixedClock } from '@budgeting/platform';
import { pathToFileURL } from 'node:url';
import type { WorkMessage } from '../packages/app/src/jobs/messages';
import { ensureTable, localClient, startDynamoDbLocal } from '../packages/app/src/local/dynamodb-local';
import { createSystem } from '../packages/app/src/system';
import { cloneBudgets, cloneDefinitions } from '../tests/integration/jobs/seed';
import { benchConfig } from './lib/metered-system';
import { formatTable } from './lib/table';
import { target, type BenchSuite, type SuiteReport } from './suite';

interface Capacity {
  CapacityUnits?: number;
}
const DATA_OPERATIONS = /^(Get|Put|Update|Delete|BatchGet|BatchWrite|TransactWrite|TransactGet)(Item|Items)?$|^(Query|Scan)$/;
const READS = /^(GetItem|BatchGetItem|TransactGetItems|Query|Scan)$/;

// A record of figures: `duplicates` pairs its tail with threshold-check.ts's deps and constants
// by shape alone (lists of typed names); nothing is shared.
export interface ScheduledWorkFigures {
  requestsPerReport: number;
  readUnitsPerReport: number;
  writeUnitsPerReport: number;
  msPerReport: number;
  requestsPerOccurrence: number;
  readUnitsPerOccurrence: number;
  writeUnitsPerOccurrence: number;
  msPerOccurrence: number;
  plannerRequestsPer1000Due: number;
  notYetDueReadsPerTick: number;
  hoursToClear1M: number;
  hoursToClear100k: number;
  reportsMeasured: number;
  occurrencesMeasured: number;
}

const DUE_BUDGETS = 200;
const NOT_DUE_BUDGETS = 50;
const CONCURRENCY = 1_000;

export async function scheduledWorkBench(): Promise<ScheduledWorkFigures> {
  const local = process.env.DYNAMODB_ENDPOINT ? undefined : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? local!.endpoint;
  const tableName = `bench-jobs-${Date.now().toString(36)}`;
  const raw = localClient(endpoint);
  await ensureTable(raw, tableName);
  const meter = { on: false, requests: 0, read: 0, write: 0 };
  const { doc } = createDynamoClients({ region: 'us-east-1', endpoint });
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (!meter.on) return next(args);
      const name = (context.commandName ?? '').replace(/Command$/, '');
      meter.requests++;
      if (DATA_OPERATIONS.test(name)) (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
      for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
        if (READS.test(name)) meter.read += c.CapacityUnits ?? 0;
        else meter.write += c.CapacityUnits ?? 0;
      }
      return out;
    },
    { step: 'initialize', name: 'jobsMeter' },
  );
  const config = benchConfig(tableName, endpoint);
  const clock = fixedClock('2026-09-10T12:00:00Z');
  // The planner's messages are collected, then worked one by one: per-unit figures.
  let outbox: WorkMessage[] = [];
  const system = createSystem({ config, clock, doc, logger: createLogger('SILENT'), jobs: { transport: () => ({ send: async (m) => void outbox.push(...m) }) } });
  const ctx = { logger: system.deps.logger };
  const request = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await system.app.request(path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const t = { doc, tableName };

  const measure = async (work: () => Promise<void>) => {
    Object.assign(meter, { on: true, requests: 0, read: 0, write: 0 });
    const started = performance.now();
    try {
      await work();
    } finally {
      meter.on = false;
    }
    return { requests: meter.requests, read: meter.read, write: meter.write, ms: performance.now() - started };
  };
  const workAll = async () => {
    const messages = outbox;
    outbox = [];
    for (const m of messages) await system.jobs.deliver(m, ctx, Number.POSITIVE_INFINITY);
    return messages.length;
  };

  try {
    const signup = await request('POST', '/v1/auth/signup', undefined, { email: 'jobs@example.com', password: 'correct horse battery staple' });
    const token: string = signup.tokens.accessToken;
    const utc = await request('POST', '/v1/budgets', token, { name: 'UTC', currency: 'EUR', limit: 100_000, timezone: 'UTC' });
    const la = await request('POST', '/v1/budgets', token, { name: 'LA', currency: 'EUR', limit: 100_000, timezone: 'America/Los_Angeles' });
    await request('POST', `/v1/budgets/${utc.id}/expenses`, token, { amount: 1_234, occurredOn: '2026-09-15', merchant: 'Corner Market' });
    await cloneBudgets(t, utc.id, DUE_BUDGETS - 1);
    await cloneBudgets(t, la.id, NOT_DUE_BUDGETS - 1);

    // 2026-10-01 01:00 UTC: September ended in UTC, not yet in Los Angeles (18:00 on the 30th).
    const tick = new Date('2026-10-01T01:00:00Z');
    const planned = await measure(() => system.jobs.plan('budget-reports', tick, ctx));
    const due = outbox.length;
    const worked = await measure(async () => void (await workAll()));
    const reports = system.jobs.metrics.totals('budget-reports');

    // Recurring: 200 due on 2026-12-01 (UTC), 50 due the day after.
    clock.set('2026-11-20T12:00:00Z');
    const token2 = await system.deps.tokens.sign({ userId: signup.user.id });
    const home = await request('POST', '/v1/budgets', token2, { name: 'Home', currency: 'EUR', limit: 100_000, timezone: 'UTC' });
    const dueDef = await request('POST', `/v1/budgets/${home.id}/recurring-expenses`, token2, { amount: 990, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } });
    const laterDef = await request('POST', `/v1/budgets/${home.id}/recurring-expenses`, token2, { amount: 10, schedule: { frequency: 'monthly', startsOn: '2026-12-02' } });
    const homes = await cloneBudgets(t, home.id, 20);
    await cloneDefinitions(t, home.id, dueDef.id, homes, 10);
    await cloneDefinitions(t, home.id, laterDef.id, homes.slice(0, 5), 10);
    const recurringTick = new Date('2026-12-01T00:30:00Z');
    const recurringPlanned = await measure(() => system.jobs.plan('recurring-expenses', recurringTick, ctx));
    const occurrencesDue = outbox.length;
    const recurringWorked = await measure(async () => void (await workAll()));
    const occurrences = system.jobs.metrics.totals('recurring-expenses');

    const recorded = occurrencesDue; // each due definition records one occurrence
    const msPerReport = worked.ms / Math.max(1, reports.UnitsProcessed);
    const hoursToClear = (units: number) => (units * msPerReport) / CONCURRENCY / 3_600_000;
    return {
      requestsPerReport: round(worked.requests / Math.max(1, due)),
      readUnitsPerReport: round(worked.read / Math.max(1, due)),
      writeUnitsPerReport: round(worked.write / Math.max(1, due)),
      msPerReport: round(msPerReport),
      requestsPerOccurrence: round(recurringWorked.requests / Math.max(1, recorded)),
      readUnitsPerOccurrence: round(recurringWorked.read / Math.max(1, recorded)),
      writeUnitsPerOccurrence: round(recurringWorked.write / Math.max(1, recorded)),
      msPerOccurrence: round(recurringWorked.ms / Math.max(1, recorded)),
      plannerRequestsPer1000Due: round(((planned.requests + recurringPlanned.requests) / Math.max(1, due + occurrencesDue)) * 1000),
      notYetDueReadsPerTick: reports.NotDueReads + occurrences.NotDueReads,
      hoursToClear1M: round(hoursToClear(1_000_000), 3),
      hoursToClear100k: round(hoursToClear(100_000), 3),
      reportsMeasured: due,
      occurrencesMeasured: occurrencesDue,
    };
  } finally {
    await raw.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    raw.destroy();
    doc.destroy();
    await local?.stop();
  }
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export const scheduledWorkSuite: BenchSuite = {
  name: 'jobs',
  async run(): Promise<SuiteReport> {
    const f = await scheduledWorkBench();
    const rows = [
      ['requests per report', String(f.requestsPerReport), `${f.readUnitsPerReport} RCU, ${f.writeUnitsPerReport} WCU, ${f.msPerReport} ms`],
      ['requests per occurrence', String(f.requestsPerOccurrence), `${f.readUnitsPerOccurrence} RCU, ${f.writeUnitsPerOccurrence} WCU, ${f.msPerOccurrence} ms`],
      ['planner requests per 1,000 due', String(f.plannerRequestsPer1000Due), `${f.reportsMeasured} reports + ${f.occurrencesMeasured} occurrences due`],
      ['not-yet-due reads per tick', String(f.notYetDueReadsPerTick), 'goal 0'],
      ['hours to clear 1,000,000 due', String(f.hoursToClear1M), `at ${CONCURRENCY} concurrent invocations`],
      ['hours to clear 100,000 due', String(f.hoursToClear100k), `at ${CONCURRENCY} concurrent invocations`],
    ];
    return {
      title: 'Scheduled work: cost per unit of the fan-out jobs (DynamoDB Local)',
      table: formatTable(['figure', 'value', 'detail'], rows),
      targets: [target('jobs.hoursToClear1M (h)', f.hoursToClear1M, 1), target('jobs.notYetDueReadsPerTick', f.notYetDueReadsPerTick, 0)],
      notes: ['Projection and AWS quotas: docs/capacity.md.'],
      data: { jobs: f },
      // latest.json: jobs.requestsPerReport, ... (flat under `figures`, and as the `jobs` tree).
      figures: Object.fromEntries(Object.entries(f).map(([name, value]) => [`jobs.${name}`, value])),
    };
  },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await scheduledWorkBench(), null, 2));
}
