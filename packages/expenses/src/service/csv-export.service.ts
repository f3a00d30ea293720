import { formatMinorUnits, problems, type FieldError } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { ExportInput } from '../schemas/csv.schemas';
import { CSV_COLUMNS, guardCell } from '../domain/csv/cells';
import type { Expense } from '../model';
import type { ExpensesRepository } from '../repository/expenses.repository';
import { authorize } from './access';

/**
 * The body is built in memory and sent whole, not streamed: behind API Gateway (HTTP API) a
 * Lambda response is buffered and at most 6 MB, and the size must be known before a 200 is
 * committed to. So the export stops with a 400 past this size (asking for a narrower range),
 * rather than sending a truncated file. JSON escaping in the Lambda response adds a little;
 * 4 MB keeps a margin.
 */
export const EXPORT_MAX_BYTES = 4 * 1024 * 1024;
export const EXPORT_PAGE_SIZE = 500;

export interface CsvExport {
  body: string;
  filename: string;
}

/**
 * CSV export of a budget's expenses in [from, to]: newest date first (the list's order),
 * amounts in major units with the currency's exponent, the category's name (empty when
 * uncategorized or the category no longer exists; a split expense is one row per part), text cells guarded against formula
 * injection. The columns are the import's, so an exported file imports back.
 */
export class CsvExportService {
  constructor(
    private readonly deps: { repository: ExpensesRepository; budgets: BudgetsFacade },
    /** Expenses read per Query (tests lower it to see the pages walked). */
    private readonly pageSize = EXPORT_PAGE_SIZE,
  ) {}

  async export(budgetId: string, userId: string, query: ExportInput): Promise<CsvExport> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw problems.validation([{ path: 'query.from', message: 'Must be on or before `to`' }]);
    }
    const names = new Map(access.categories.map((c) => [c.id, c.name]));
    const line = (e: Expense, amount: number, categoryId: string | null, description: string | undefined) => [
      e.occurredOn,
      formatMinorUnits(amount, access.currency),
      guardCell(categoryId === null ? '' : (names.get(categoryId) ?? '')),
      guardCell(description ?? ''),
      guardCell(e.merchant ?? ''),
    ];
    // A split expense is one row per part: the part's amount and category, its description
    // (else the expense's), so the rows of a category add up to what the summary shows.
    const rows = (e: Expense) =>
      e.splits ? e.splits.map((p) => line(e, p.amount, p.categoryId, p.description ?? e.description)) : [line(e, e.amount, e.categoryId, e.description)];

    // csv-stringify is loaded by the first export, not at start (see the README's cold start).
    const { stringify } = await import('csv-stringify/sync');
    /** RFC 4180: CRLF line ends, fields quoted when they hold a comma, a quote or a line break. */
    const toCsv = (rows: string[][]) => stringify(rows, { record_delimiter: '\r\n' });
    const chunks = [toCsv([[...CSV_COLUMNS]])];
    let bytes = Buffer.byteLength(chunks[0]!);
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.deps.repository.page({ budgetId, from: query.from, to: query.to, limit: this.pageSize, startKey });
      if (page.items.length > 0) {
        const chunk = toCsv(page.items.flatMap(rows));
        bytes += Buffer.byteLength(chunk);
        if (bytes > EXPORT_MAX_BYTES) throw tooLarge();
        chunks.push(chunk);
      }
      startKey = page.lastKey;
    } while (startKey);

    return { body: chunks.join(''), filename: `expenses-${budgetId}-${query.from ?? 'start'}-${query.to ?? 'end'}.csv` };
  }
}

function tooLarge() {
  const message = `The export would exceed ${EXPORT_MAX_BYTES} bytes; export a shorter date range`;
  const errors: FieldError[] = [
    { path: 'query.from', message },
    { path: 'query.to', message },
  ];
  return problems.validation(errors, 'The export is too large for one response.');
}
