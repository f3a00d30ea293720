import { afterRateLimit, bearerSecurity, problemResponses } from '@budgeting/platform/routes';
import { createRoute, z } from '@hono/zod-openapi';
import { CamtText, CsvText, DryRunResultSchema, OfxText, QifExportText, QifText, ExportQuery, ImportHeaders, ImportParams, ImportQuery, ImportSchema } from '../schemas/csv.schemas';
import { BudgetParams } from '../schemas/expenses.schemas';

/** CSV export (and import) of a budget's expenses. Registered before /expenses/{expenseId}. */
const TAG = 'Expenses';

export const exportExpenses = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/expenses/export',
  operationId: 'exportExpenses',
  tags: [TAG],
  summary: 'Export expenses as CSV or QIF',
  description:
    'Any member. `date,amount,category,description,merchant,tags,foreignAmount,foreignCurrency,reviewed,recurringExpenseId` with a header row, newest date first, optionally within `from`..`to` (inclusive). ' +
    "Amounts in major units of the budget's currency (`12.50`), the category's name (empty when uncategorized), the tags joined with `;`, " +
    "the foreign amount in major units of its own currency (JPY `8000`, BHD `1.250`) and its code (both empty when none; a split expense's on its first part's row), " +
    '`reviewed` (`true`/`false`) and the id of the recurring expense that recorded it (empty for the others; a split expense\'s on each of its rows). ' +
    "Text cells starting with `=`, `+`, `-` or `@` (or with apostrophes before one: `'=`) get a leading apostrophe so spreadsheets do not run them as formulas (imported back without it, one apostrophe only); so does each piece between `;` of a text cell (`Lunch;'=1+2`, `work;'=1+2`: a spreadsheet that splits at `;` reads it as a cell), and the import removes those too. " +
    'The list\'s search filters apply too (`q`, `merchant`, `minAmount`, `maxAmount`, `createdBy`, `recurringExpenseId`, `tag`, `reviewed`). ' +
    'An export larger than 4 MB (or whose texts, escaped in the response, would pass 6 MB), or a filtered export that would read more than 100,000 expenses, is refused (400): export a shorter range. ' +
    '`?format=qif` answers the same expenses (same filters, order and limits) as a QIF file (`application/qif`, a `.qif` file name) for Quicken, GnuCash, Actual or Firefly III, which the QIF import reads back: see `QifExportText`. ' +
    'Its dates as `dateFormat` says (with `format=qif` only): `YYYY-MM-DD` (default), `MM/DD/YYYY` (Quicken US) or `DD/MM/YYYY`.',
  security: bearerSecurity,
  request: { params: BudgetParams, query: ExportQuery },
  responses: {
    200: {
      description: 'The CSV file (RFC 4180, UTF-8, CRLF line ends), or with `format=qif` the QIF file',
      headers: {
        'Content-Disposition': { description: 'attachment; filename="expenses-<budgetId>-<from>-<to>.csv" (`.qif` with `format=qif`)', schema: { type: 'string' } },
      },
      content: { 'text/csv': { schema: CsvText }, 'application/qif': { schema: QifExportText } },
    },
    ...problemResponses(400, 401, 404),
  },
});

/** An import's record as its POST and GET answer it (also the import undo's example's start). */
export const importExample = {
  id: '01JDIMPORT00000000000000001',
  status: 'succeeded',
  total: 44,
  processed: 44,
  imported: 40,
  duplicates: 2,
  matched: 1,
  errorCount: 1,
  errors: [{ line: 7, message: 'amount has at most 2 decimals in USD' }],
  createdAt: '2026-11-24T12:00:00.000Z',
  updatedAt: '2026-11-24T12:00:03.000Z',
  finishedAt: '2026-11-24T12:00:03.000Z',
};

/** A failed import as GET shows it: the reason at line 0 of `errors`, and `failureCode` (a part failed every attempt here). */
const failedImportExample = {
  id: '01JDIMPORT00000000000000002',
  status: 'failed',
  total: 1200,
  processed: 500,
  imported: 498,
  duplicates: 2,
  matched: 0,
  errorCount: 0,
  errors: [{ line: 0, message: 'part 2 of the file failed every attempt (an error on our side, logged for the operators); rows recorded before stay, importing the file again adds only the rest' }],
  createdAt: '2026-11-24T12:00:00.000Z',
  updatedAt: '2026-11-24T12:15:40.000Z',
  finishedAt: '2026-11-24T12:15:40.000Z',
  failureCode: 'part-failed',
};

export const importExpenses = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/expenses/import',
  operationId: 'importExpenses',
  tags: [TAG],
  summary: 'Import expenses from CSV, a bank statement (OFX/QFX, camt.053) or QIF (a job)',
  description:
    'Owners and editors. `Content-Type: text/csv` (UTF-8, or see the `charset` parameter; `application/vnd.ms-excel`, what Windows browsers and Excel label a `.csv`, is read the same: ' +
    'behind API Gateway a file that is not UTF-8 is sent with that type, which the gateway passes as bytes, not as `text/csv`, which it passes as text), at most 5 MB and 50,000 rows (more: 413 naming the limit): `date,amount,category,description,merchant`, ' +
    "header row optional (the export's header is accepted too: its `tags`, `reviewed` and `recurringExpenseId` columns are ignored (tags are not imported, every imported row needs review, none is linked to a recurring expense); its `foreignAmount`,`foreignCurrency` are imported as the expense's foreign amount, both or neither, in major units of that currency, not the budget's; " +
    "the export's earlier headers, ending in `reviewed`, in `foreignCurrency` or in `tags`, are still accepted), amount in major units of the budget's currency (`12.50`; at most the currency's decimals, no thousands separators), " +
    'category by name (any case; empty = uncategorized). The file is read and validated in the request (a file that is not valid CSV is refused whole, 400); ' +
    'its valid rows are then recorded by a background job, chunk by chunk. The answer is 202 with `Location` of the import resource (GET it for progress). ' +
    'With `Prefer: wait=N` (at most 25 s) the answer is 200 with the finished import when it finishes within N seconds (`Preference-Applied: wait=N`). ' +
    'Invalid rows are reported by line in `errors` (the first 100). A row imported before is a duplicate: importing the same file again adds nothing, ' +
    'also when two imports of it run at once. `?dryRun=true` answers 200 with what would be imported, what is a duplicate and what is invalid, writing nothing. ' +
    'A bank statement is imported the same way with `Content-Type: application/x-ofx` (or `application/vnd.intu.qfx`, `application/ofx`): OFX 1.x (SGML) or 2.x (XML); ' +
    "its debits become expenses, credits and zero amounts are counted in `skipped`; a statement in another currency than the budget's is a 400; " +
    'a transaction is known by its bank id (`FITID`) and account, so overlapping statements add each transaction once. ' +
    'A statement is read in the character set its own header declares (OFX 1.x `CHARSET:1252`, `CHARSET:ISO-8859-1`, `CHARSET:NONE` or UTF-8; OFX 2.x the XML `encoding`): ' +
    'UTF-8, US-ASCII, Windows-1252 and ISO-8859-1 are read, another is a 400 naming `body`; a `charset=utf-8` parameter of the Content-Type overrides the header (a file converted to UTF-8). ' +
    'An ISO 20022 camt.053 statement (what European banks export) is imported with `Content-Type: application/xml` (or `text/xml`, `application/vnd.iso20022.camt.053+xml`: behind API Gateway a statement that is not UTF-8 is sent with this last one): ' +
    'its DBIT entries become expenses, credits, zero amounts and entries not booked (`Sts` PDNG, FUTR, INFO) are counted in `skipped`, an entry in another currency than the budget\'s is an error of its line, ' +
    'an entry is known by its account and `AcctSvcrRef` (or `NtryRef`); a document that is not a camt.053 `Document/BkToCstmrStmt`, or has a DOCTYPE, is a 400 naming `body`. ' +
    'A QIF file (Quicken Interchange Format) with `Content-Type: application/qif` (or `application/x-qif`, `text/x-qif`): negative amounts become expenses, positive ones and transfers are counted in `skipped`, ' +
    '`L` is the category by name as a CSV category column; its dates are read day first or month first as the file shows, or as `dateFormat` says (the only mapping parameter a QIF file takes; dates that read both ways without it: 400 naming `dateFormat`); ' +
    'its charset as a CSV file\'s without a mapping; a split record (`S`/`E`/`$` lines) is a split expense when its parts add up to `T`, else one expense of `T` (the dry run\'s `splitFallbacks` says which and why). ' +
    "A bank's CSV export is read as it is downloaded with the layout parameters (CSV only, all optional; none: the format above): `dateColumn`, `amountColumn`, " +
    '`categoryColumn`, `descriptionColumn`, `merchantColumn` map our fields to header names (trimmed, any case; other columns ignored; a name the header lacks is a 400 naming the parameter), ' +
    '`delimiter`, `skipLines`, `dateFormat`, `decimalSeparator` and `amountSign=negativeIsSpending` (negative amounts are expenses, the rest is counted in `skipped`; without `amountSign` or debit and credit columns a negative amount is a refund, as in the format above); ' +
    '`debitColumn` and `creditColumn` (together, instead of `amountColumn`) read a file with money out and money in in two columns: a debit is an expense, a credit alone is counted in `skipped`, both or neither is an error of the row; ' +
    'each bank format (OFX/QFX, camt.053, QIF, a CSV mapping with a credit column or `amountSign=negativeIsSpending`) takes `?credits=refunds` (or a profile\'s `credits`, which the query\'s overrides): its credits become refund rows (`refund: true`), counted in `imported` instead of `skipped`; with `?credits=income` they become income entries instead (counted in `imported` and `incomeImported`; GET .../cash-flow counts them); ' +
    'with `?dryRun=true` an app can preview a mapping. `?profile=<id>` uses a saved mapping (`/import-profiles`), each mapping parameter given overriding its field (an unknown profile: 400 naming `profile`); `?profile=auto` picks the saved profile whose columns the file\'s header has (none: 400 naming `profile`), and the import\'s `profileId` says which. ' +
    'A mapped row is a duplicate of the same row imported before in any format. ' +
    'Bill matching (as YNAB and Actual match imports with scheduled transactions): a row that is a bill the recurring job already recorded (exactly the same amount; the same merchant, after rename rules, by words, ignoring case and accents; ' +
    'dated from 2 days before to 5 days after the recorded occurrence, which must be at most 100 days old) is not recorded again but counted in `matched` (a dry run lists it in `matched`). ' +
    'Each recorded occurrence is matched once across files: a row of another file whose bill was matched already is imported as usual. ' +
    'In the other order, an imported row that is a bill the job has not recorded yet (by the same rule) is matched by the job when it reaches that occurrence: the job records no second expense, and each imported row settles one occurrence at most. ' +
    '`?matchRecurring=false` imports every row, and the job does not match its rows either. ' +
    'The Idempotency-Key fingerprint includes the query: the same file with another mapping is another request (but the same `profile` id is the same request, even if the profile was changed in between: the first answer is replayed). ' +
    "A CSV file's character set: a byte order mark (UTF-8, UTF-16LE, UTF-16BE) whatever is given, else the Content-Type's `charset` (`utf-8`, `utf-16`, `utf-16le`, `utf-16be`, `windows-1252`, `iso-8859-1`, `windows-1250`, `iso-8859-2` " +
    'or an alias such as `latin1`, `cp1250`, `latin2`; another is a 415 naming `header.Content-Type`), ' +
    "else the `charset` parameter (or the profile's), else UTF-16 when every other byte of the file's start is zero, UTF-8 when the bytes are valid UTF-8 and Windows-1252 when not (the usual charset of bank and Excel CSV downloads); " +
    'Windows-1250 and ISO-8859-2 are read only when named. UTF-16 that is not valid (an odd number of bytes, an unpaired surrogate) is a 400 naming `body` (or `charset` when that parameter named it). ' +
    'Excel\'s "Unicode Text" (UTF-16, tab-separated) is read with `delimiter=tab`. The dry run says which charset it read (`charset`). Other media types: 415.',
  security: bearerSecurity,
  request: {
    params: BudgetParams,
    query: ImportQuery,
    headers: ImportHeaders,
    body: {
      required: true,
      content: {
        'text/csv': { schema: CsvText },
        'application/vnd.ms-excel': { schema: CsvText },
        'application/x-ofx': { schema: OfxText },
        'application/vnd.intu.qfx': { schema: OfxText },
        'application/ofx': { schema: OfxText },
        'application/xml': { schema: CamtText },
        'text/xml': { schema: CamtText },
        'application/vnd.iso20022.camt.053+xml': { schema: CamtText },
        'application/qif': { schema: QifText },
        'application/x-qif': { schema: QifText },
        'text/x-qif': { schema: QifText },
      },
    },
  },
  responses: {
    200: {
      description: 'The finished import (with `Prefer: wait=N`), or with `?dryRun=true` what an import would do',
      headers: {
        Location: { description: 'URL of the import resource (not with dryRun).', schema: { type: 'string' } },
        'Preference-Applied': { description: '`wait=N` when the Prefer wait was honoured.', schema: { type: 'string' } },
      },
      content: { 'application/json': { schema: z.union([ImportSchema, DryRunResultSchema]), example: importExample } },
    },
    202: {
      description: 'Accepted: the import runs as a job (or replayed, with `Idempotent-Replayed: true`). One whose job could not be queued answers already `failed`, with `failureCode: not-started`, as GET then shows it.',
      headers: {
        Location: { description: 'URL of the import resource, GET /v1/budgets/{budgetId}/imports/{importId}.', schema: { type: 'string' } },
        'Preference-Applied': { description: '`wait=N` when a Prefer wait was asked for (it did not finish in time).', schema: { type: 'string' } },
      },
      content: { 'application/json': { schema: ImportSchema, example: { ...importExample, status: 'queued', processed: 1, imported: 0, duplicates: 0, matched: 0, updatedAt: importExample.createdAt, finishedAt: undefined } } },
    },
    ...problemResponses(400, 401, 403, 404, 409, 422),
    // Past 5 MB or of a media type the app does not take: answered before requireAuth. Past the
    // row cap or in a charset not read: by the import itself, with the caller's RateLimit fields.
    413: afterRateLimit(problemResponses(413)[413]),
    415: afterRateLimit(problemResponses(415)[415]),
  },
});

export const getImport = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/imports/{importId}',
  operationId: 'getImport',
  tags: [TAG],
  summary: 'Progress and result of an import (CSV or bank statement)',
  description:
    'Any member. Counts go up while the job runs; `status` ends as `succeeded` or `failed`. An import that has not moved (`updatedAt`) for 75 minutes is stalled: this read marks it `failed` (once; `errors` line 0 says so, and importing the file again adds only the rest). Imports are kept for a week.',
  security: bearerSecurity,
  request: { params: ImportParams },
  responses: {
    200: {
      description: 'The import',
      content: {
        'application/json': {
          schema: ImportSchema,
          examples: {
            succeeded: { summary: 'Finished: one row invalid, two imported before, one a bill already recorded', value: importExample },
            failed: { summary: 'Failed: the reason at line 0 of `errors`, `failureCode` as a code (here `part-failed`)', value: failedImportExample },
          },
        },
      },
    },
    ...problemResponses(400, 401, 404),
  },
});
