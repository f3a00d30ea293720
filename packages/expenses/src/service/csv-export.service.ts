import { formatMinorUnits, problems, type FieldError } from '@budgeting/platform';
import { UNCATEGORIZED_KEY, type BudgetsFacade } from '@budgeting/budgets';
import type { ExportInput } from '../schemas/csv.schemas';
import { EXPORT_COLUMNS, TAG_SEPARATOR, guardText } from '../domain/csv/cells';
import type { Expense } from '../model';
import type { ExpenseQueries } from '../repository/expense-queries.repository';
import type { IncomeRepository } from '../repository/income.repository';
import type { IncomeExportInput } from '../schemas/income.schemas';
import type { Income } from '../model';
import { authorize } from './access';
import { checkListFilters, expenseSearchOf, outsideCategories } from '../domain/expense-search';
import { checkAgainstBudget } from '../domain/expense-rules';
import { partSpendingOf, spendingOf } from '../domain/refunds';
import { QIF_HEADER, qifRecords, type QifWriteContext } from '../domain/qif/write';

/**
 * The body is built in memory and sent whole, not streamed: behind API Gateway (HTTP API) a
 * Lambda response is buffered and at most 6 MB, and the size must be known before a 200 is
 * committed to. So the export stops with a 400 past this size (asking for a narrower range),
 * rather than sending a truncated file. JSON escaping in the Lambda response adds a little;
 * 4 MB keeps a margin. A QIF file (application/qif, not a text type to Hono's Lambda adapter)
 * travels base64-encoded: 4 MB become 5.3 MB, still under 6 MB.
 */
export const EXPORT_MAX_BYTES = 4 * 1024 * 1024;
/**
 * ...and the most its body may take in the function's answer, which Lambda sends only up to 6 MB
 * (6,291,456 bytes, the whole JSON envelope; 64 KB left here for the status and headers). A
 * text/csv body travels as a JSON string (hono/aws-lambda: CSV is a text type), where every
 * backslash and quote takes two bytes and a line end four: a file of texts made of those (a
 * description of 500 backslashes) is twice its size there, so a file under 4 MB could pass 6 MB
 * and the answer fail as a 5xx (until 2026-12-07). A QIF body travels base64-encoded (4/3). Past
 * this, the same 400 as past EXPORT_MAX_BYTES.
 */
export const EXPORT_MAX_ANSWER_BYTES = 6 * 1024 * 1024 - 64 * 1024;
export const EXPORT_PAGE_SIZE = 500;
/**
 * With a search, the export reads at most this many stored expenses, matching or not, and
 * otherwise refuses (400, asking for a shorter range). Without one, every expense read is a
 * row and the 4 MB bound already limits what is read (at ~40 bytes a row, about 100,000), so a
 * filtered export costs at most what an unfiltered one can.
 */
export const EXPORT_MAX_EXAMINED = 100_000;

export interface CsvExport {
  body: string;
  /** The Content-Type of the body (its format's). */
  mediaType: string;
  filename: string;
}

/** What the page loop needs to write one file format: its first bytes and a page's records. */
interface ExportWriter {
  mediaType: string;
  header: string;
  chunk(expenses: Expense[]): string;
  /** What `text` takes in the function's answer (EXPORT_MAX_ANSWER_BYTES). */
  answerBytes(text: string): number;
}

/** A text body's bytes in the function's answer: a JSON string, escapes included (without its two quotes). */
const asJsonStringBytes = (text: string): number => Buffer.byteLength(JSON.stringify(text)) - 2;
/** A binary body's bytes in the function's answer: base64 (a chunk's rounding up counts a few bytes more: on the safe side). */
const asBase64Bytes = (text: string): number => Math.ceil(Buffer.byteLength(text) / 3) * 4;

/** What a writer knows of the budget and the filter: the QIF writer's context, which the CSV writer needs too. */
type ExportContext = QifWriteContext;

/**
 * CSV export of a budget's expenses in [from, to] that match the list's search filters
 * (`q`, `merchant`, `minAmount`, `maxAmount`, `createdBy`, `recurringExpenseId`, `tag`, `reviewed`, `refund`) and, with
 * `categoryId`, the rows of one category (or `uncategorized`): newest date first (the list's order),
 * amounts in major units with the currency's exponent (a refund's negative: `-59.99`), the category's name (empty when
 * uncategorized or the category no longer exists; a split expense is one row per part), text cells guarded against formula
 * injection, a `tags` column (the tags joined with `;`; each split row repeats them), the
 * foreign amount (`foreignAmount` in major units of `foreignCurrency`, written as the amount
 * column is; both empty when none), `reviewed` (`true`/`false`; each split row
 * repeats it) and last `recurringExpenseId` (the recurring expense that recorded it, empty for
 * the others; each split row repeats it). A split expense's foreign amount describes the whole expense, so it is written once, on its first part's row (a sum of the column per currency is
 * then what was paid in it, as the amount column's sum is what the budget was charged).
 * The columns are the import's plus these, which the import reads (tags, reviewed and recurringExpenseId ignored,
 * the foreign amount imported), so an exported file imports back.
 *
 * `format=qif`: the same expenses, filters, pages and bounds, written as a QIF file instead
 * (domain/qif/write.ts, packages/expenses/docs/import-export.md "QIF export"); only the writer differs.
 */
export class CsvExportService {
  constructor(
    private readonly deps: { queries: ExpenseQueries; budgets: BudgetsFacade; income: IncomeRepository },
    /** Expenses read per Query (tests lower it to see the pages walked). */
    private readonly pageSize = EXPORT_PAGE_SIZE,
    /** Stored expenses a filtered export may read (tests lower it to reach it). */
    private readonly maxExamined = EXPORT_MAX_EXAMINED,
  ) {}

  async export(budgetId: string, userId: string, { format = 'csv', dateFormat, ...query }: ExportInput): Promise<CsvExport> {
    // The CSV file keeps ISO dates (its import reads them without a dateFormat): only QIF takes one.
    if (dateFormat !== undefined && format !== 'qif') {
      throw problems.validation([{ path: 'query.dateFormat', message: 'Applies to format=qif only: the CSV file writes ISO dates (YYYY-MM-DD)' }]);
    }
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    checkListFilters(query);
    const search = expenseSearchOf(query);
    const names = new Map(access.categories.map((c) => [c.id, c.name]));
    // `categoryId`: only that category's rows (of a split expense only its parts there), or
    // with `uncategorized` the rows of the summary's uncategorizedSpent (none, or a removed category).
    const uncategorized = query.categoryId === UNCATEGORIZED_KEY;
    if (query.categoryId !== undefined && !uncategorized) checkAgainstBudget(access, { categoryId: query.categoryId }, 'query.categoryId');
    const wanted = (categoryId: string | null): boolean =>
      query.categoryId === undefined || (uncategorized ? outsideCategories(categoryId, names) : categoryId === query.categoryId);
    const bounded = search !== undefined || uncategorized;
    const context = { currency: access.currency, names, wanted, ...(dateFormat === undefined ? {} : { dateFormat }) };
    // The file's format: only how a page of expenses is written differs, the loop is one.
    const writer = format === 'qif' ? qifWriter(context) : await csvWriter(context);
    const chunks = [writer.header];
    const size = new ExportSize(writer.answerBytes);
    size.add(writer.header);
    let startKey: Record<string, unknown> | undefined;
    let examined = 0;
    do {
      const maxExamined = bounded ? this.maxExamined - examined : undefined;
      const category = uncategorized ? { uncategorizedAmong: new Set(names.keys()) } : { categoryId: query.categoryId };
      const page = await this.deps.queries.page({ budgetId, from: query.from, to: query.to, ...category, search, limit: this.pageSize, startKey, maxExamined });
      examined += page.examined;
      if (bounded && page.lastKey && examined >= this.maxExamined) throw tooManyExamined(this.maxExamined);
      if (page.items.length > 0) {
        const chunk = writer.chunk(page.items);
        size.add(chunk);
        chunks.push(chunk);
      }
      startKey = page.lastKey;
    } while (startKey);

    return { body: chunks.join(''), mediaType: writer.mediaType, filename: `expenses-${budgetId}-${query.from ?? 'start'}-${query.to ?? 'end'}.${format}` };
  }

  /**
   * CSV export of a budget's income entries in [from, to], of one recurring income with
   * `recurringIncomeId` (packages/expenses/docs/income.md "Income and cash flow", Export):
   * `date,amount,source,description,recurringIncomeId` (the last empty for an entry no
   * recurring income recorded, as the expense export's `recurringExpenseId`), newest receivedOn first (the income list's
   * order and index, walked a page at a time), amounts in major units as the expense export
   * writes them (an entry is always positive), text cells guarded against formula injection.
   * The expense export's writer (RFC 4180, CRLF) and 4 MB bound: the file is built whole, so a
   * larger one is a 400 asking for a shorter range. No examined bound: every entry read is a row.
   */
  async exportIncome(budgetId: string, userId: string, query: IncomeExportInput): Promise<CsvExport> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw problems.validation([{ path: 'query.from', message: 'Must not be after `to`' }]);
    }
    const toCsv = await csvRowsWriter();
    // recurringIncomeId: a server id (never starting with = + - @), nothing to guard; as the expense export's recurringExpenseId.
    const row = (i: Income) => [i.receivedOn, formatMinorUnits(i.amount, access.currency), guardText(i.source ?? ''), guardText(i.description ?? ''), i.recurringIncomeId ?? ''];
    const chunks = [toCsv([[...INCOME_EXPORT_COLUMNS]])];
    const size = new ExportSize(asJsonStringBytes);
    size.add(chunks[0]!);
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.deps.income.page(budgetId, query, this.pageSize, startKey);
      if (page.items.length > 0) {
        const chunk = toCsv(page.items.map(row));
        size.add(chunk);
        chunks.push(chunk);
      }
      startKey = page.lastKey;
    } while (startKey);
    return { body: chunks.join(''), mediaType: 'text/csv; charset=utf-8', filename: `income-${budgetId}-${query.from ?? 'start'}-${query.to ?? 'end'}.csv` };
  }
}

/** The income export's columns, in order. */
export const INCOME_EXPORT_COLUMNS = ['date', 'amount', 'source', 'description', 'recurringIncomeId'] as const;

/**
 * Rows to CSV text, RFC 4180: CRLF line ends, fields quoted when they hold a comma, a quote or
 * a line break. csv-stringify quotes a field holding its record delimiter (CRLF) but not a lone
 * LF or CR, which a text cell may hold (the import stores line breaks as LF): `quoted_match`
 * quotes those too, else a reader splitting rows on line ends would cut the row in two.
 * csv-stringify is loaded by the first export, not at start (see the README's cold start).
 */
async function csvRowsWriter(): Promise<(rows: string[][]) => string> {
  const { stringify } = await import('csv-stringify/sync');
  return (rows) => stringify(rows, { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

function tooManyExamined(max: number) {
  const message = `A filtered export reads at most ${max} expenses; export a shorter date range`;
  return problems.validation(
    [
      { path: 'query.from', message },
      { path: 'query.to', message },
    ],
    'The filtered export would read too many expenses for one response.',
  );
}

/** A file's size as it is built, a chunk at a time: a 400 (tooLarge) once past EXPORT_MAX_BYTES, or past EXPORT_MAX_ANSWER_BYTES in the answer. */
class ExportSize {
  private bytes = 0;
  private answerBytes = 0;

  constructor(private readonly inAnswer: (text: string) => number) {}

  add(text: string): void {
    this.bytes += Buffer.byteLength(text);
    this.answerBytes += this.inAnswer(text);
    if (this.bytes > EXPORT_MAX_BYTES) throw tooLarge(`The export would exceed ${EXPORT_MAX_BYTES} bytes; export a shorter date range`);
    if (this.answerBytes > EXPORT_MAX_ANSWER_BYTES) {
      throw tooLarge(`The export would take more than ${EXPORT_MAX_ANSWER_BYTES} bytes in the response (its texts escaped); export a shorter date range`);
    }
  }
}

function tooLarge(message: string) {
  const errors: FieldError[] = [
    { path: 'query.from', message },
    { path: 'query.to', message },
  ];
  return problems.validation(errors, 'The export is too large for one response.');
}

/** The CSV file's writer (the rows described on CsvExportService). */
async function csvWriter({ currency, names, wanted }: ExportContext): Promise<ExportWriter> {
  const line = (e: Expense, amount: number, categoryId: string | null, description: string | undefined, withForeign = true) => [
    e.occurredOn,
    formatMinorUnits(amount, currency),
    // Each `;`-separated piece of a text cell guarded as a cell of its own (cells.ts guardText):
    // a spreadsheet that splits at `;` (Excel where it is the list separator) would read
    // `Lunch;=1+2` as two cells, the second starting with `=`. The import undoes it (unguardText).
    guardText(categoryId === null ? '' : (names.get(categoryId) ?? '')),
    guardText(description ?? ''),
    guardText(e.merchant ?? ''),
    // One text cell of values joined with `;`, guarded the same way (a tag may hold a `;`
    // itself: its pieces too). The import reads no tags: nothing to undo.
    guardText((e.tags ?? []).join(TAG_SEPARATOR)),
    // A number and a code (never starting with = + - @): nothing to guard.
    withForeign && e.foreign ? formatMinorUnits(e.foreign.amount, e.foreign.currency) : '',
    withForeign && e.foreign ? e.foreign.currency : '',
    // Each row of a split expense repeats it, as its tags: review is the expense's.
    String(e.reviewed),
    // A server id (never starting with = + - @), repeated on each split row: the expense's.
    e.recurringExpenseId ?? '',
  ];
  // A split expense is one row per part: the part's amount and category, its description
  // (else the expense's), so the rows of a category add up to what the summary shows.
  // Amounts are signed spending (spendingOf): a refund's row says `-59.99`, which the plain
  // import reads back as a refund (packages/expenses/docs/expense-fields.md "Refunds").
  // With `categoryId`, only the wanted parts, the foreign amount on the first of them.
  const rows = (e: Expense) =>
    e.splits
      ? e.splits.filter((p) => wanted(p.categoryId)).map((p, n) => line(e, partSpendingOf(e, p), p.categoryId, p.description ?? e.description, n === 0))
      : [line(e, spendingOf(e), e.categoryId, e.description)];

  const toCsv = await csvRowsWriter();
  return { mediaType: 'text/csv; charset=utf-8', header: toCsv([[...EXPORT_COLUMNS]]), chunk: (expenses) => toCsv(expenses.flatMap(rows)), answerBytes: asJsonStringBytes };
}

/** The QIF file's writer (domain/qif/write.ts: pure, small, loaded with the service). */
function qifWriter(context: ExportContext): ExportWriter {
  return { mediaType: 'application/qif; charset=utf-8', header: QIF_HEADER, chunk: (expenses) => qifRecords(expenses, context), answerBytes: asBase64Bytes };
}
