import { conditionFailedAt, type ModuleStore } from '@budgeting/platform';
import type { Report } from '../../model';
import type { Period } from '../../domain/periods';
import type { BudgetsKeys, TransactItem } from '../../repository/keys';
import { toPage, type Page } from '../../repository/page';

/**
 * Report items: one per (budget, period), written once and never changed. The Put's
 * attribute_not_exists condition is what makes a report exist exactly once, however many
 * job runs or requests race to generate it.
 */
export type ReportItem = Report & { pk: string; sk: string; kind: 'report'; [attribute: string]: unknown };

export const REPORT_KIND = 'report';

export class ReportsRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: BudgetsKeys,
  ) {}

  async get(budgetId: string, period: Period): Promise<Report | undefined> {
    const item = await this.store.get<ReportItem>({ Key: this.keys.report(budgetId, period), ConsistentRead: true });
    return item ? reportFromItem(item) : undefined;
  }

  /** A page of a budget's reports, newest period first. */
  async page(budgetId: string, limit: number, startKey?: Record<string, unknown>): Promise<Page<Report>> {
    const { items, lastKey } = await this.store.query<ReportItem>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.reportsPk(budgetId), ':prefix': this.keys.reportSkPrefix },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: limit + 1,
      ExclusiveStartKey: startKey,
    });
    return toPage(items, limit, ['pk', 'sk'], reportFromItem, lastKey);
  }

  /**
   * Writes the report with `alsoWrite` (its outbox event, guards) in one transaction; 'exists'
   * (nothing written) when the period already has a report. Other failed conditions throw.
   */
  async create(report: Report, alsoWrite: TransactItem[]): Promise<'created' | 'exists'> {
    const key = this.keys.report(report.budgetId, { start: report.periodStart, end: report.periodEnd });
    const item: ReportItem = { ...key, kind: REPORT_KIND, ...report };
    try {
      await this.store.transactWrite([{ Put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' } }, ...alsoWrite]);
      return 'created';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'exists';
      throw err;
    }
  }

  /** Holds a transaction to the budget still existing (no report may outlive its budget's cleanup). */
  budgetExists(budgetId: string): TransactItem {
    return { ConditionCheck: { Key: this.keys.budget(budgetId), ConditionExpression: 'attribute_exists(pk)' } };
  }

  /**
   * Whether the report's budget still exists (strongly consistent): a deleted budget's reports
   * stay until its budget.deleted cleanup has run, which may come after their report.generated.
   */
  budgetStillExists(budgetId: string): Promise<boolean> {
    return this.store.exists(this.keys.budget(budgetId));
  }
}

/**
 * A stored item as a report. Reports stored before category groups existed have no `group` on
 * their category lines and no `groups`: they read as ungrouped (`group: null`, `groups: []`),
 * which is what they were (groups could not be set then), rather than recomputing groups from
 * the budget's current categories, which would rewrite a snapshot. Defaulted here, on read,
 * so no stored item is rewritten and every reader (routes, page, email) sees one shape.
 */
export function reportFromItem(item: ReportItem): Report {
  const { pk: _pk, sk: _sk, kind: _kind, ...stored } = item;
  const report = stored as Omit<Report, 'byCategory' | 'groups'> & {
    byCategory: (Omit<Report['byCategory'][number], 'group'> & { group?: string | null })[];
    groups?: Report['groups'];
  };
  return {
    ...report,
    byCategory: report.byCategory.map((c) => ({ ...c, group: c.group ?? null })),
    groups: report.groups ?? [],
  };
}
