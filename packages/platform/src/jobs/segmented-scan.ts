import type { FanOutJob, JobReport, PlanPage, WorkContext } from './fan-out';

/**
 * The shape of a one-off operator job over items no index reaches (a migration, a reseal):
 * the planner hands out the SEGMENTS of a parallel Scan, one unit each, all at once; each unit
 * pages through its segment (the job's `page`, typically ModuleStore.scanSegment plus the
 * job's conditional writes) and, when its invocation's time is up, the rest of the segment is
 * queued as the same unit with the page to start from. The job's own work must be idempotent
 * (a unit can be delivered twice), so running the job again finds nothing more to do.
 */
export interface ScanSegmentUnit {
  segment: number;
  totalSegments: number;
  /** Where the segment goes on (a Scan's LastEvaluatedKey, as JSON); absent at its start. */
  startKey?: string;
}

/** One page's work: what it did (summed over the unit's pages) and where the segment goes on. */
export interface ScanPageOutcome {
  /** Items changed: the unit's `done`. */
  done: number;
  /** Further figures for the run's report (numbers summed, lists concatenated; see JobReport). */
  report?: JobReport;
  lastKey?: Record<string, unknown>;
}

export interface SegmentedScanJobSpec {
  name: string;
  /** Segments worked at once, each by its own unit (DynamoDB allows up to 1,000,000). */
  segments: number;
  page(segment: number, totalSegments: number, startKey: Record<string, unknown> | undefined, ctx: WorkContext): Promise<ScanPageOutcome>;
  /** After a unit's invocation (e.g. a log line of what it did); `finished`: its segment has no more pages. */
  afterUnit?(unit: ScanSegmentUnit, totals: { done: number; report: JobReport }, finished: boolean, ctx: WorkContext): void;
}

export function segmentedScanJob(spec: SegmentedScanJobSpec): FanOutJob<ScanSegmentUnit> {
  const totalSegments = spec.segments;
  return {
    name: spec.name,
    async plan(): Promise<PlanPage<ScanSegmentUnit>> {
      return { units: Array.from({ length: totalSegments }, (_, segment) => ({ segment, totalSegments })) };
    },
    async work(unit, _now, ctx) {
      let startKey = unit.startKey ? (JSON.parse(unit.startKey) as Record<string, unknown>) : undefined;
      let done = 0;
      let report: JobReport = {};
      do {
        const page = await spec.page(unit.segment, unit.totalSegments, startKey, ctx);
        done += page.done;
        if (page.report) report = mergeReports(report, page.report);
        startKey = page.lastKey;
      } while (startKey && Date.now() < ctx.deadline);
      spec.afterUnit?.(unit, { done, report }, !startKey, ctx);
      return {
        done,
        ...(Object.keys(report).length > 0 ? { report } : {}),
        ...(startKey ? { again: { ...unit, startKey: JSON.stringify(startKey) } } : {}),
      };
    },
    parseUnit(raw) {
      const unit = raw as Partial<ScanSegmentUnit> | null;
      const { segment, totalSegments: total, startKey } = unit ?? {};
      const valid =
        Number.isInteger(total) && Number.isInteger(segment) && segment! >= 0 && segment! < total! &&
        (startKey === undefined || typeof startKey === 'string');
      if (!valid) throw new Error(`${spec.name} unit needs 0 <= segment < totalSegments (integers) and an optional string startKey`);
      return { segment: segment!, totalSegments: total!, ...(startKey === undefined ? {} : { startKey }) };
    },
  };
}

/** Most entries a report's list keeps (its count is a number figure beside it). */
export const REPORT_LIST_CAP = 100;

/** Numbers summed, lists concatenated up to REPORT_LIST_CAP entries. */
export function mergeReports(a: JobReport, b: JobReport): JobReport {
  const out: JobReport = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const had = out[key];
    if (typeof value === 'number') out[key] = (typeof had === 'number' ? had : 0) + value;
    else out[key] = [...(Array.isArray(had) ? had : []), ...value].slice(0, REPORT_LIST_CAP);
  }
  return out;
}
