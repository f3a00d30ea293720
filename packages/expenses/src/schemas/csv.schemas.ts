import { freeText, queryInteger } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { AMOUNT_SIGNS, TAGS_SEPARATORS, CSV_CHARSETS, CURRENCY_SYMBOLS, CSV_DECODINGS, DATE_FORMATS, DECIMAL_SEPARATORS, DELIMITER_NAMES, mappingProblems, type CsvMapping } from '../domain/csv/layout';
import { CREDITS_AS } from '../domain/import-file';
import { QIF_EXPORT_DATE_FORMATS } from '../domain/qif/date-formats';
import { ID_MAX, budgetId, calendarDate, categoryId, jobFailureCode, searchQuery } from './expenses.schemas';

/** Queries and responses of the CSV import and export routes (the bodies are CSV or OFX text, not JSON). */
/** The export's file formats (`format`): our CSV, or QIF for Quicken, GnuCash, Actual and Firefly III. */
export const EXPORT_FORMATS = ['csv', 'qif'] as const;

export const ExportQuery = z
  .object({
    format: z
      .enum(EXPORT_FORMATS)
      .optional()
      .openapi({
        param: { name: 'format', in: 'query' },
        description:
          '`csv` (default): the CSV file (`text/csv`). `qif`: a QIF file (`application/qif`, `.qif`) for Quicken, GnuCash, Actual or Firefly III: `!Type:Bank`, one record per expense, ' +
          '`D` the date (`2026-11-21`, or as `dateFormat` says), `T` minus the spending (a purchase negative, a refund positive), `P` merchant, `M` description, `L` category name `/` first tag, ' +
          "a split expense's parts as `S`/`E`/`$` lines; line breaks in text become spaces. The same filters, order and limits. Any other value: 400 naming `query.format`.",
        example: 'qif',
      }),
    dateFormat: z
      .enum(QIF_EXPORT_DATE_FORMATS)
      .optional()
      .openapi({
        param: { name: 'dateFormat', in: 'query' },
        description:
          'With `format=qif` only: how `D` dates are written. `YYYY-MM-DD` (default, `2026-11-21`: read one way by every importer), `MM/DD/YYYY` (`11/21/2026`, Quicken US) or ' +
          '`DD/MM/YYYY` (`21/11/2026`, Quicken and Money elsewhere). Our QIF import reads the file back given the same `dateFormat`. Another value, or any with `format=csv` ' +
          '(the CSV file keeps ISO dates): 400 naming `query.dateFormat`.',
        example: 'MM/DD/YYYY',
      }),
    from: calendarDate.optional().openapi({ param: { name: 'from', in: 'query' }, description: 'Earliest date (inclusive).' }),
    to: calendarDate.optional().openapi({ param: { name: 'to', in: 'query' }, description: 'Latest date (inclusive).' }),
    categoryId: categoryId.optional().openapi({
      param: { name: 'categoryId', in: 'query' },
      description:
        "One of the budget's category ids: the rows of that category only (an expense filed under it, and of a split expense only its parts in it), " +
        'so the amounts add up to what the summary shows for the category over the same dates. `uncategorized` (as the list\'s): the rows behind ' +
        "the summary's `uncategorizedSpent` (no category, or one the budget no longer has; of a split expense only such parts). A split expense's " +
        'foreign amount goes on its first row in the file. With `uncategorized` the dates are read as a search reads them (at most 100,000 expenses).',
    }),
    ...searchQuery,
  })
  .strict();

export type ExportInput = z.infer<typeof ExportQuery>;

export const CsvText = z.string().openapi({
  description:
    'RFC 4180 CSV, UTF-8 (the import also reads UTF-16, Windows-1252, ISO-8859-1, Windows-1250 and ISO-8859-2: see its `charset` parameter): `date,amount,category,description,merchant`, amount in major units. The export adds `tags` (tags joined with `;`), ' +
    '`foreignAmount`,`foreignCurrency` (what was paid in another currency, in major units of it; empty when none), `reviewed` (`true` or `false`) and ' +
    '`recurringExpenseId` (the recurring expense that recorded it; empty for the others); the import accepts a file with that header (or one of the ' +
    "export's earlier ones, ending at `tags`, `foreignCurrency` or `reviewed`), ignores `tags`, `reviewed` and `recurringExpenseId` and imports the foreign amount.",
  example:
    'date,amount,category,description,merchant,tags,foreignAmount,foreignCurrency,reviewed,recurringExpenseId\r\n' +
    '2026-11-20,12.50,Groceries,Weekly shop,Corner Market,vacation-2026;reimbursable,,,true,\r\n' +
    '2026-11-21,52.40,Food,Ramen,Ichiran,vacation-2026,8000,JPY,false,\r\n' +
    '2026-11-01,1200.00,Housing,Rent,Landlord,,,,true,01JD4Z8K6Q3M2N7P5R9S1T0V2W\r\n',
});

export const OfxText = z.string().openapi({
  description:
    'A bank or credit card statement download, OFX 1.x (SGML, after `OFXHEADER:100` header lines) or OFX 2.x (XML), as banks offer it for ' +
    'Quicken (QFX) or Money (OFX), UTF-8 or ASCII. Each `<STMTTRN>` with a negative `TRNAMT` (a debit; `TRNTYPE` DEBIT or CREDIT, when given, says the direction whatever the sign) is an expense: its absolute amount, `DTPOSTED`\'s date, ' +
    'merchant `NAME`, description `MEMO`, no category (categorization rules apply). Credits and zero amounts are skipped and counted (`skipped`). ' +
    "The statement's `CURDEF` must be the budget's currency (else 400, nothing imported). A transaction is known by its `FITID` and account: " +
    'importing an overlapping statement adds only the transactions not imported before.',
  example:
    'OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n' +
    '<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>USD' +
    '<BANKACCTFROM><BANKID>121000248<ACCTID>1234567890<ACCTTYPE>CHECKING</BANKACCTFROM>' +
    '<BANKTRANLIST><DTSTART>20261101<DTEND>20261130' +
    '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261120120000[-5:EST]<TRNAMT>-12.50<FITID>2026112001<NAME>Corner Market<MEMO>Weekly shop</STMTTRN>' +
    '</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\r\n',
});

export const CamtText = z.string().openapi({
  description:
    'An ISO 20022 camt.053 bank statement (BankToCustomerStatement, `urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN`, versions .02 to .13), as European banks export it; UTF-8, or Windows-1252 / ISO-8859-1 as its XML declaration says. ' +
    'Each `<Ntry>` with `CdtDbtInd` DBIT is an expense: `Amt` (its `Ccy` must be the budget\'s currency, else an error of its line), `BookgDt` (`Dt`, or `DtTm`\'s date; else `ValDt`), ' +
    'merchant the creditor\'s name (`NtryDtls/TxDtls/RltdPties/Cdtr/Nm`, or `Cdtr/Pty/Nm` from .08), description the `RmtInf/Ustrd` lines joined, else `AddtlNtryInf`. ' +
    'Credits, zero amounts and entries not booked (`Sts` PDNG, FUTR, INFO) are counted in `skipped`. An entry is known by its account and `AcctSvcrRef` (else `NtryRef` with its date and amount; a placeholder, `NONREF` or `NOTPROVIDED`, is no reference): ' +
    'an overlapping statement adds each entry once. Another document (camt.052, camt.054, not XML) or one with a DOCTYPE is a 400 naming `body`.',
  example:
    '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>1</MsgId><CreDtTm>2026-11-30T18:00:00</CreDtTm></GrpHdr>' +
    '<Stmt><Id>1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>' +
    '<Ntry><Amt Ccy="EUR">12.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>2026112000001</AcctSvcrRef>' +
    '<NtryDtls><TxDtls><RltdPties><Cdtr><Nm>Corner Market</Nm></Cdtr></RltdPties><RmtInf><Ustrd>Weekly shop</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>' +
    '</Stmt></BkToCstmrStmt></Document>\n',
});

export const QifText = z.string().openapi({
  description:
    'A QIF file (Quicken Interchange Format): `!Type:Bank`, `!Type:CCard` or `!Type:Cash` sections (others are passed over), records of field lines ending with `^`; UTF-8, or Windows-1252 when not UTF-8 (or the Content-Type\'s `charset`, as for CSV). ' +
    'A negative `T` (or `U`) amount is an expense (`-1,234.56`, `-1.234,56`, `-12,50`); `D` the date (`11/21/2026`, `21.11.2026`, `11/21\'26`, `2026-11-21`: see `dateFormat`), `P` payee the merchant, `M` memo the description, ' +
    '`L` the category by name (as a CSV category column; a `/class` after it is a tag). Positive amounts and transfers (`L[Account]`) are counted in `skipped`. A row is known by its values, as a CSV row.',
  example: "!Type:Bank\r\nD11/20'26\r\nT-12.50\r\nPCorner Market\r\nMWeekly shop\r\nLGroceries\r\n^\r\n",
});

/** The QIF export's file (domain/qif/write.ts): what the QIF import reads back. */
export const QifExportText = z.string().openapi({
  description:
    'A QIF file, UTF-8, CRLF line ends: `!Type:Bank`, then one record per expense ending with `^`: `D` the date (ISO, year first), `T` the amount paid (minus the spending: a purchase negative, a refund positive; major units of the budget\'s currency), ' +
    '`P` merchant, `M` description, `L` the category\'s name and `/` the first tag (a class), a split expense\'s parts as `S` category, `E` description, `$` amount. ' +
    'Empty fields are left out; line breaks in text are written as spaces. The import reads it back (refunds with `?credits=refunds`).',
  example: '!Type:Bank\r\nD2026-11-20\r\nT-12.50\r\nPCorner Market\r\nMWeekly shop\r\nLGroceries/vacation\r\n^\r\n',
});

/** Rows of a file that are not expenses, left out: the import's and the dry run's count. */
/** `credits=income` only (absent otherwise): of `imported`, the credits recorded as income entries. */
const IncomeImportedCount = z
  .number()
  .int()
  .optional()
  .openapi({
    example: 1,
    description:
      '`credits=income` on a format that reads credits (OFX/QFX, camt.053, QIF, CSV with a sign convention) only, absent otherwise: of `imported`, the credits recorded as income entries (`imported - incomeImported` are expenses).',
  });

const SkippedCount = z
  .number()
  .int()
  .optional()
  .openapi({
    example: 3,
    description:
      'Bank statements (OFX/QFX, camt.053), QIF files, and CSV with `amountSign=negativeIsSpending` or debit and credit columns, only: credits and zero amounts, which are not expenses, left out (not counted in `total`); ' +
      'also camt.053 entries not booked (`PDNG`, `FUTR`, `INFO`) or reversed (`RvslInd`) and QIF transfers between accounts (`L[Account]`). With `credits=refunds` a credit is imported as a refund, with `credits=income` as an income entry (counted in `imported`, not here).',
  });

const LineError = z.object({
  line: z.number().int().openapi({ example: 7, description: 'Physical line of the file (1-based) where the row starts (0: the import as a whole).' }),
  message: z.string().openapi({ example: 'amount has at most 2 decimals in USD' }),
});

export const ImportParams = z
  .object({
    budgetId,
    importId: z.string().min(1).max(64).openapi({ param: { name: 'importId', in: 'path' }, example: '01JDIMPORT00000000000000001' }),
  })
  .strict();

/** Where a mapping travels: the import's query string (text), or a profile's JSON body. */
type Carrier = 'query' | 'body';

/** The field's documentation, as a query parameter's (its name and place) or a body field's. */
const documented = (carrier: Carrier, name: string, meta: { description: string; example: string | number }) =>
  carrier === 'query' ? { param: { name, in: 'query' as const }, ...meta } : meta;

/** What `dateFormat` means for a QIF file (the import's query only; a profile is for CSV files). */
const QIF_DATE_FORMAT =
  " A QIF file takes this parameter only, and only its numeric values: their order of day, month and year (`DD/MM/YYYY` and `DD.MM.YY` both read day first; a date starting with a four-digit year is read year first), the widths and separators as QIF writes them (`1/ 5'26`). " +
  "Without it a QIF file's order is found from its dates (a first number above 12 is day first, a second one month first); dates that read two ways are a 400 naming `dateFormat`. " +
  'With it, a file whose dates are the other way round (one a date only so, another reading as two days) is a 400 naming `dateFormat` too.';

/** What a type column (`typeColumn`, Mint's "Transaction Type") holds and means. */
const TYPE_COLUMN_HOLDS =
  "each row's direction, `debit` or `credit` (any case; Mint's \"Transaction Type\"). With one amount column, not with `debitColumn` and `creditColumn` or `amountSign`: " +
  "the amount's sign is ignored, a debit is an expense of it, a credit is money in (skipped and counted in `skipped`, or a refund with `credits=refunds`); another value is an error of its row";

/** What a tags column (`tagsColumn`) holds and how its cells are read (domain/csv/tags-cell.ts). */
const TAGS_COLUMN_HOLDS =
  "the expense's tags, split by `tagsSeparator` (Monarch's \"Tags\", Firefly III's `tags`): each trimmed, empty ones dropped, the same tag ignoring case and accents kept once (its first spelling), as the expense's `tags`. " +
  'An empty cell: no tags. A tag longer than 32 characters or of no visible character, or more than 10 tags, is an error of its row naming the column; a categorization rule\'s tags come after the file\'s';

const SKIP_LINES = { min: 0, max: 20, error: 'Must be a whole number from 0 to 20' };

export const ImportQuery = z
  .object({
    dryRun: z
      .enum(['true', 'false'])
      .optional()
      .openapi({ param: { name: 'dryRun', in: 'query' }, description: '`true`: validate and look for duplicates, write nothing (200 with a DryRunResult).', example: 'true' }),
    matchRecurring: z
      .enum(['true', 'false'])
      .optional()
      .openapi({
        param: { name: 'matchRecurring', in: 'query' },
        description:
          '`true` (default): a row that is a bill the recurring job already recorded (the same amount, the same merchant by words ignoring case and accents, dated from 2 days before to 5 days after the recorded occurrence) is counted in `matched` instead of being recorded again. ' +
          'The rows imported are matched by the recurring job in turn when it reaches a bill they hold (it then records no second expense). ' +
          '`false`: every row is imported as a new expense, and the job does not match them.',
        example: 'false',
      }),
    credits: z
      .enum(CREDITS_AS)
      .optional()
      .openapi({
        param: { name: 'credits', in: 'query' },
        description:
          'A bank format (OFX/QFX, camt.053, QIF, CSV with debit and credit columns or `amountSign=negativeIsSpending`) only: what its credits (money in) become. `skip` (default): left out and counted in `skipped` (most are salary and transfers). ' +
          '`refunds`: each credit is imported as a refund (`refund: true`, its positive amount: negative spending), its date, merchant and description read as a debit\'s, categorized by the rules and deduplicated by the same key as a debit (OFX: account and `FITID`; camt.053: the entry\'s reference, marked as a credit\'s, its merchant the debtor; CSV and QIF: its values, marked as a refund\'s); ' +
          'it counts in `imported`, not in `skipped`. ' +
          '`income`: each credit found as `refunds` would find it is recorded as an INCOME entry instead of an expense (`amount`, `receivedOn` its date, `source` its merchant, payee or debtor, `description` its memo; GET .../income, and the month\'s income in GET .../cash-flow), keyed as the refund row would be (the same file twice adds nothing); ' +
          'never categorized or matched with a bill; it counts in `imported` and in the import\'s `incomeImported`, and an undo of the import removes it as it removes the expenses. ' +
          'Zero amounts, transfers (QIF), reversals and entries not booked (camt.053) stay skipped; any other value: 400 naming `query.credits`; a refund row is never matched with a bill. ' +
          "Not given: the import profile's `credits` (`?profile=`), else `skip`; given, it overrides the profile's. " +
          'A CSV file without a sign convention (our own format, or a mapping without `amountSign` and without debit and credit columns) reads a negative amount as a refund whatever this says.',
        example: 'refunds',
      }),
    profile: z
      .string()
      .min(1)
      .max(ID_MAX)
      .optional()
      .openapi({
        param: { name: 'profile', in: 'query' },
        description:
          "CSV only: the id of one of the budget's import profiles (`/import-profiles`): its saved mapping is used, each mapping parameter given here overriding the profile's field. " +
          "`auto`: the profile whose named columns (`dateColumn`, `amountColumn` or `debitColumn` and `creditColumn`, the others named; `date` and `amount` when not named) are all in the file's header row " +
          "(read after that profile's `skipLines`, with its `delimiter`), the one naming the most columns, ties to the most recently updated; the import's `profileId` says which. " +
          "A built-in preset's id (`ynab`, `monarch`, `mint`, `actual`, `firefly`: GET .../import-presets) reads that app's export as downloaded (a category the budget lacks is then uncategorized); `auto` tries the presets after the saved profiles, each needing its app's whole header. " +
          "A profile the budget does not have, or (`auto`) none fitting the file's header: 400 naming `profile` (the detail lists the header's columns).",
        example: '01JDPROFILE0000000000000001',
      }),
    ...csvMappingFields('query'),
    // A space sent as itself (`tagsSeparator=%20`) is `space` (the handler reads it so).
    tagsSeparator: z
      .enum([...TAGS_SEPARATORS, ' '])
      .optional()
      .openapi({
        param: { name: 'tagsSeparator', in: 'query' },
        description: 'CSV only, with `tagsColumn`: what separates two tags in its cells, `,` (default), `;`, `|` or `space` (also a space itself, URL-encoded `%20`). Without `tagsColumn` it reads nothing.',
        example: ';',
      }),
    // A tab sent as itself (`delimiter=%09`, the URL-encoded character) is `tab` (the handler reads it so).
    delimiter: z
      .enum([...DELIMITER_NAMES, '\t'])
      .optional()
      .openapi({
        param: { name: 'delimiter', in: 'query' },
        description: 'CSV only: the field delimiter, `,` (default), `;` (German and French banks) or `tab` (also a tab character itself, URL-encoded `%09`).',
        example: ';',
      }),
  })
  .strict();

export type ImportQueryInput = z.infer<typeof ImportQuery>;

/**
 * A saved column mapping (an import profile's `mapping`): the same fields, read by the same
 * definitions as the query parameters (csvMappingFields), in a JSON body, and checked as a whole
 * by the same rules (layout.ts mappingProblems) the import applies to its merged parameters.
 */
export const ImportMapping = z
  .object(csvMappingFields('body'))
  .strict()
  .superRefine((mapping, ctx) => {
    for (const problem of mappingProblems(mapping)) ctx.addIssue({ code: 'custom', path: [problem.parameter], message: problem.message });
  })
  .openapi('ImportMapping', {
    description: "The import's mapping query parameters as an object, each with the same meaning and rules (see POST .../expenses/import).",
    example: { dateColumn: 'Date', merchantColumn: 'Description', debitColumn: 'Paid out', creditColumn: 'Paid in', dateFormat: 'DD/MM/YYYY', decimalSeparator: '.' },
  });

/** A header name of a bank's CSV file (matched trimmed, in any case). */
function columnName(carrier: Carrier, name: string, holds: string, example: string) {
  // Free text as any other (ill-formed text refused naming it): a profile stores it.
  return freeText(200)
    .min(1)
    .optional()
    .openapi(
      documented(carrier, name, {
        description:
          `CSV only: the header name of the file's column holding ${holds} (trimmed, any case). ` +
          'Any column parameter given: the first row (after `skipLines`) must be a header, columns are found by name and others are ignored; ' +
          'a field not mapped is read from a column named as the field, if any (`date` and `amount` must be found). A name the header lacks: 400 naming this parameter.',
        example,
      }),
    );
}

/**
 * The layout of a bank's CSV export (domain/csv/bank-csv.ts), one query parameter each so a
 * generated client types and documents each of them and a 400 names the one at fault (a
 * single `columns=date=...;amount=...` string would need a grammar of its own, and quoting
 * for header names holding `;` or `=`). None given: our own format, as before. The same fields
 * are an import profile's saved mapping (ImportMapping): one definition each, only the number of
 * `skipLines` read from text in a query and as a JSON number in a body.
 */
// eslint-disable-next-line max-lines-per-function -- one documented zod field per mapping parameter, listed in the API's order (see above)
function csvMappingFields(carrier: Carrier) {
  const debitCredit = 'Instead of `amountColumn` (both or neither; not with `amountColumn` or `amountSign`): ';
  return {
    dateColumn: columnName(carrier, 'dateColumn', "the expense's date", 'Booking Date'),
    amountColumn: columnName(carrier, 'amountColumn', "the expense's amount", 'Amount'),
    debitColumn: columnName(
      carrier,
      'debitColumn',
      `money out. ${debitCredit}a row with a debit (a non-zero amount, its sign ignored) is an expense of it; a row with only a credit is skipped and counted in \`skipped\`; both or neither filled is an error of its row`,
      'Paid out',
    ),
    creditColumn: columnName(carrier, 'creditColumn', `money in. ${debitCredit}see \`debitColumn\``, 'Paid in'),
    typeColumn: columnName(carrier, 'typeColumn', TYPE_COLUMN_HOLDS, 'Transaction Type'),
    categoryColumn: columnName(carrier, 'categoryColumn', "the expense's category", 'Category'),
    descriptionColumn: columnName(carrier, 'descriptionColumn', "the expense's description", 'Purpose'),
    merchantColumn: columnName(carrier, 'merchantColumn', "the expense's merchant", 'Payee'),
    tagsColumn: columnName(carrier, 'tagsColumn', TAGS_COLUMN_HOLDS, 'Tags'),
    tagsSeparator: z
      .enum(TAGS_SEPARATORS)
      .optional()
      .openapi(
        documented(carrier, 'tagsSeparator', {
          description:
            'CSV only, with `tagsColumn`: what separates two tags in its cells, `,` (default), `;`, `|` or `space`' +
            (carrier === 'query' ? ' (also a space itself, URL-encoded `%20`)' : '') +
            '. Without `tagsColumn` it reads nothing.',
          example: ';',
        }),
      ),
    delimiter: z
      .enum(DELIMITER_NAMES)
      .optional()
      .openapi(documented(carrier, 'delimiter', { description: 'CSV only: the field delimiter, `,` (default), `;` (German and French banks) or `tab`.', example: ';' })),
    dateFormat: z
      .enum(DATE_FORMATS)
      .optional()
      .openapi(
        documented(carrier, 'dateFormat', {
          description:
            `CSV${carrier === 'query' ? ' (and QIF, below)' : ''} only: how dates are written, \`YYYY-MM-DD\` (default). Strict: the format's separators; \`DD\`, \`MM\` two digits, \`D\` one or two; \`YYYY\` four digits; ` +
            '`M`, `D` one or two (`M/D/YYYY`: `1/5/2026`); `YY` two, 00-68 being 2000-2068 and 69-99 1969-1999 (the POSIX strptime `%y` rule); `MMM` a month\'s English name or abbreviation (`Mar`, `March`, `Sept`), or the German or French one ' +
            '(`Mär`, `Mrz`, `Mai`, `Okt`, `Dez`; `janv.`, `févr.`, `avr.`, `juil.`, `août`, `déc.`; see the README for the full list), any case, an abbreviation\'s period optional. ' +
            '`YYYY-MM-DDThh:mm:ss`: an ISO 8601 date and time, a fraction of seconds and an offset (`Z`, `+01:00`) optional (Firefly III\'s `2026-03-05T00:00:00+01:00`): the day as written, the time and offset not applied; `YYYY-MM-DD hh:mm:ss` the same with one space and no offset (Revolut\'s `2026-03-05 10:00:00`). ' +
            'A date not in this format, or not a calendar day, is an error of its row naming `date`; but a file with day and month the other way round (`DD/MM/YYYY` read as `MM/DD/YYYY`: one date only so, `13/03/2026`, and another reading as two days, `05/03/2026`) is a 400 naming `dateFormat` (or `profile`), nothing imported, rather than rows stored on the wrong day.' +
            (carrier === 'query' ? QIF_DATE_FORMAT : ''),
          example: 'DD.MM.YYYY',
        }),
      ),
    decimalSeparator: z
      .enum(DECIMAL_SEPARATORS)
      .optional()
      .openapi(
        documented(carrier, 'decimalSeparator', {
          description:
            'CSV only: the decimal mark of amounts (also debits and credits). `,`: thousands may be grouped by `.`, a space or a (narrow) no-break space (`1.234,56`). `.` given: thousands may be grouped by `,` or an apostrophe (`1,234.56`, `1\'234.56`). A cell wholly in parentheses (`(12.50)`) is negative; a sign may also follow the number (`12,50-`, SAP and German exports). ' +
            'Not given: `.` and no thousands separator, as always. Currency symbols are refused either way, unless `currencySymbol=ignore`.',
          example: ',',
        }),
      ),
    currencySymbol: z
      .enum(CURRENCY_SYMBOLS)
      .optional()
      .openapi(
        documented(carrier, 'currencySymbol', {
          description:
            'CSV only. `refuse` (default): an amount with a currency symbol is an error of its row. `ignore` (app exports such as YNAB\'s, which write `$12.34`): ONE currency sign ' +
            '(`$`, `€`, `£`, `¥`, ...) before the number, before or after its sign, or after it (`-$5.00`, `$-5.00`, `12,34 €`) is left out, also in debit and credit columns. ' +
            "It is not checked against the budget's currency.",
          example: 'ignore',
        }),
      ),
    amountSign: z
      .enum(AMOUNT_SIGNS)
      .optional()
      .openapi(
        documented(carrier, 'amountSign', {
          description:
            'CSV only. `positive` (default): every amount is an expense and must be greater than 0. `negativeIsSpending` (bank exports): a negative amount is an expense of its absolute value; ' +
            'positive and zero amounts (money in) are skipped and counted in `skipped` (and `skippedLines` in a dry run).',
          example: 'negativeIsSpending',
        }),
      ),
    skipLines: (carrier === 'query' ? queryInteger(SKIP_LINES) : z.number({ error: SKIP_LINES.error }).int({ error: SKIP_LINES.error }).min(SKIP_LINES.min, { error: SKIP_LINES.error }).max(SKIP_LINES.max, { error: SKIP_LINES.error }))
      .optional()
      .openapi(
        documented(carrier, 'skipLines', {
          description: 'CSV only: lines before the header (or the first row) to leave out, 0..20 (banks write the account and the period there). Line numbers in errors still count them.',
          example: 3,
        }),
      ),
    charset: z
      .enum(CSV_CHARSETS)
      .optional()
      .openapi(
        documented(carrier, 'charset', {
          description:
            "CSV only: the file's character set when the Content-Type names none (a `charset` there wins; a different one given here too is a 400 naming this parameter). " +
            '`iso-8859-1` (`latin1`, `cp1252`) is read as `windows-1252`, as browsers do. `utf-16` is little-endian unless the bytes show big-endian; `utf-16le`, `utf-16be` (Excel\'s "Unicode Text", usually with `delimiter=tab`) are strict: ' +
            'an odd number of bytes or an unpaired surrogate is a 400 naming this parameter. `windows-1250` (`cp1250`) and `iso-8859-2` (`latin2`, `l2`), Central European banks, are two different code pages, each read as itself, and never guessed; so is `macintosh` (`mac`, `x-mac-roman`: Mac OS Roman, Excel for Mac\'s "CSV (Macintosh)"). ' +
            'A byte order mark (UTF-8, UTF-16LE, UTF-16BE) decides whatever is given. Not given (and none in the Content-Type): ' +
            'UTF-16 when every other byte of the start of the file is zero, else UTF-8 when the bytes are valid UTF-8, else Windows-1252 (the usual charset of bank and Excel CSV downloads). `utf-8` given and bytes that are not: 400 naming this parameter.',
          example: 'windows-1252',
        }),
      ),
  } satisfies Record<keyof CsvMapping, z.ZodType>;
}

export const ImportHeaders = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({ param: { in: 'header' }, description: 'Retry-safe creation: same key + same body replays the first response for 24 h.', example: '3f2c9f1e-8f3b-4c55-9d8e-1d2f0c6b7a10' }),
  prefer: z
    .string()
    .optional()
    .openapi({
      param: { in: 'header' },
      description: 'RFC 7240 `wait=N` (seconds, at most 25, and never past 27 s after API Gateway received the request): answer 200 with the finished import if it finishes within N seconds, else 202 as without it.',
      example: 'wait=10',
    }),
});

/** An import's undo as the import resource shows it (POST .../imports/{importId}/undo). */
export const ImportUndoSchema = z
  .object({
    status: z.enum(['queued', 'running', 'succeeded', 'failed']).openapi({ example: 'succeeded', description: '`failed`: the budget was archived meanwhile, a part of the import failed every attempt or expired, the job could not be queued, it stalled (nothing moved for 75 minutes) or the import was recorded before undos were possible (`failure`, `failureCode`). A failed undo asked again (POST .../undo) goes on from its counts, `queued` again.' }),
    removed: z.number().int().openapi({ example: 39, description: "The import's expenses deleted (each as a DELETE: restorable for 30 days)." }),
    kept: z.number().int().openapi({ example: 1, description: 'Expenses of the import kept because someone changed them since it recorded them.' }),
    gone: z.number().int().openapi({ example: 0, description: 'Expenses of the import someone had already deleted.' }),
    total: z.number().int().openapi({ example: 40, description: "The import's `imported` when the undo started: removed + kept + gone once it has succeeded." }),
    createdAt: z.string().openapi({ example: '2026-11-24T12:10:00.000Z' }),
    updatedAt: z.string().openapi({ example: '2026-11-24T12:10:02.000Z' }),
    finishedAt: z.string().optional().openapi({ example: '2026-11-24T12:10:02.000Z' }),
    failure: z.string().optional().openapi({ example: 'the budget was archived while undoing the import; the expenses removed before stay removed, unarchive it and undo again to go on', description: 'Why it failed (only when `failed`).' }),
    failureCode: z
      .string()
      .optional()
      .openapi({
        example: 'budget-archived',
        description:
          'Only when `failed`: `budget-archived`, `part-failed`, `expired` (a part of the import expired first), `not-started`, `stalled` (nothing moved for 75 minutes), `import-undo-unavailable` (the import was recorded before imports kept what they recorded: delete its expenses with the bulk edit). New codes may be added.',
      }),
  })
  .openapi('ImportUndo');

export const ImportUndoHeaders = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({ param: { in: 'header' }, description: 'Retry-safe request: the same key replays the first response for 24 h (without one, a second undo answers the same resource anyway).', example: '3f2c9f1e-8f3b-4c55-9d8e-1d2f0c6b7a10' }),
  prefer: z
    .string()
    .optional()
    .openapi({
      param: { in: 'header' },
      description: 'RFC 7240 `wait=N` (seconds, at most 25, and never past 27 s after API Gateway received the request): answer 200 with the import once its undo has finished within N seconds, else 202 as without it.',
      example: 'wait=10',
    }),
});

export const ImportSchema = z
  .object({
    id: z.string().openapi({ example: '01JDIMPORT00000000000000001' }),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']).openapi({ example: 'succeeded', description: '`failed`: the budget was deleted or archived meanwhile, the job could not run, or the import stalled (it had not moved for 75 minutes); `errors` says why (line 0), `failureCode` as a code.' }),
    total: z.number().int().openapi({ example: 44, description: 'Rows in the file (not counting the header and blank rows).' }),
    processed: z.number().int().openapi({ example: 44, description: 'Rows done so far: imported + duplicates + matched + errorCount once it has succeeded (= total).' }),
    imported: z.number().int().openapi({ example: 41, description: 'Rows recorded as new expenses (and with `credits=income`, as income entries: `incomeImported` of them).' }),
    duplicates: z.number().int().openapi({ example: 2, description: 'Rows imported before (the same file, or the same row in another file) and skipped.' }),
    matched: z
      .number()
      .int()
      .openapi({
        example: 1,
        description:
          'Rows that are bills the recurring job had already recorded (bill matching, see `matchRecurring`): not recorded again. Each recorded occurrence is matched by one row at most, across files: a row of a later file whose bill was matched already is imported.',
      }),
    incomeImported: IncomeImportedCount,
    errorCount: z.number().int().openapi({ example: 1, description: 'Rows not imported because they are invalid; `errors` lists the first 100.' }),
    errors: z.array(LineError).openapi({ description: 'The first 100 invalid rows, by line.' }),
    skipped: SkippedCount,
    createdAt: z.string().openapi({ example: '2026-11-24T12:00:00.000Z' }),
    updatedAt: z.string().openapi({
      example: '2026-11-24T12:00:03.000Z',
      description:
        'When the import last moved: created, started, a part of the file (up to 500 rows) counted or partly written, finished. The job queue gives a failing part 5 attempts (about 15 minutes) and may hold it up to an hour behind other work; an import that has not moved for 75 minutes is read as `failed` (stalled, line 0 of `errors`): rows recorded stay, and importing the file again adds only the rest.',
    }),
    finishedAt: z.string().optional().openapi({ example: '2026-11-24T12:00:03.000Z' }),
    profileId: z
      .string()
      .optional()
      .openapi({ example: '01JDPROFILE0000000000000001', description: 'The import profile the file was read with: the one named by `?profile=<id>`, or the one `?profile=auto` picked (a built-in preset\'s id, such as `ynab`, when it was one). Absent without a profile.' }),
    failureCode: jobFailureCode('import'),
    undo: ImportUndoSchema.optional().openapi({ description: 'Its undo (POST .../imports/{importId}/undo); absent before one was asked for.' }),
  })
  .openapi('Import');

export const DryRunResultSchema = z
  .object({
    dryRun: z.literal(true),
    total: z.number().int().openapi({ example: 44 }),
    imported: z.number().int().openapi({ example: 41, description: 'Rows that would be recorded as new expenses (and with `credits=income`, as income entries: `incomeImported` of them).' }),
    duplicates: z.number().int().openapi({ example: 2, description: 'Rows that were imported before and would be skipped.' }),
    errorCount: z.number().int().openapi({ example: 1 }),
    errors: z.array(LineError).openapi({ description: 'The first 100 invalid rows, by line.' }),
    importLines: z.array(z.number().int()).openapi({ example: [1, 2, 3], description: 'Lines of the first 100 rows that would be imported.' }),
    duplicateLines: z.array(z.number().int()).openapi({ example: [4, 5], description: 'Lines of the first 100 duplicates.' }),
    matchedCount: z.number().int().openapi({ example: 1, description: 'Rows that are bills the recurring job already recorded and would not be recorded again: total = imported + duplicates + matchedCount + errorCount.' }),
    matched: z
      .array(
        z.object({
          line: z.number().int().openapi({ example: 6 }),
          expenseId: z.string().optional().openapi({ example: '01JDEXPENSE0000000000000001', description: 'The expense the recurring job recorded for the occurrence (absent when its record does not name it).' }),
          recurringExpenseId: z.string().openapi({ example: '01JDRECURRING00000000000001' }),
          occurredOn: z.string().openapi({ example: '2026-11-01', description: 'The date the occurrence was recorded on.' }),
        }),
      )
      .openapi({ description: 'The first 100 rows that are bills the recurring job already recorded: the occurrence each matched (see `matchRecurring`).' }),
    skipped: SkippedCount,
    skippedLines: z
      .array(z.number().int())
      .optional()
      .openapi({ example: [9], description: 'Where `skipped` is: lines of the first 100 skipped transactions (OFX `<STMTTRN>`, camt.053 `<Ntry>`, a QIF record\'s first line).' }),
    charset: z
      .enum(CSV_DECODINGS)
      .optional()
      .openapi({
        example: 'utf-8',
        description: 'CSV only: the character set the file was read in (see the `charset` parameter; `iso-8859-1` is read as `windows-1252`, `utf-16` as `utf-16le` or `utf-16be`).',
      }),
    categorized: z
      .array(
        z.object({
          line: z.number().int().openapi({ example: 2 }),
          categoryId: z.string().nullable().openapi({ example: '01JDCATEATINGOUT000000000A', description: "null when a split rule's `split` makes the row a split expense (see `splits`)." }),
          splits: z
            .array(z.object({ categoryId: z.string().nullable(), amount: z.number().int() }))
            .optional()
            .openapi({ description: "Only when a split rule fills it in: the parts the row would be split into (minor units, adding up to the row's amount)." }),
          ruleId: z.string().openapi({ example: '01JDRULE0000000000000000001' }),
        }),
      )
      .openapi({ description: 'The first 100 rows that would be imported with an empty category that a categorization rule fills in: the category (and the rule) they would get (matched on the merchant as renamed, see `renamed`).' }),
    renamed: z
      .array(
        z.object({
          line: z.number().int().openapi({ example: 2 }),
          merchant: z.string().openapi({ example: 'Amazon' }),
          ruleId: z.string().openapi({ example: '01JDRULE0000000000000000002' }),
        }),
      )
      .openapi({ description: "The first 100 rows that would be imported whose merchant a rule's `renameTo` replaces: the merchant (and the rule) they would get. The file's merchant still identifies the row (duplicates)." }),
    splitFallbacks: z
      .array(
        z.object({
          line: z.number().int().openapi({ example: 12 }),
          reason: z.string().openapi({ example: 'the split parts add up to 40.00, not the total 45.00' }),
        }),
      )
      .optional()
      .openapi({
        description:
          "QIF only (absent for other formats): the first 100 rows whose split lines (`S`/`E`/`$`) would NOT make a split expense, each then one expense of its total `T` in `L`'s category, and why (the parts do not add up to `T`, fewer than 2 or more than 50 parts, a part without an amount of money out, a transfer part, a part's amount with more decimals than the currency). Duplicates and matched rows included; rows in error are in `errors` instead.",
      }),
    incomeImported: IncomeImportedCount,
    income: z
      .array(
        z.object({
          line: z.number().int().openapi({ example: 7 }),
          amount: z.number().int().openapi({ example: 320000 }),
          receivedOn: z.string().openapi({ example: '2026-11-25' }),
          source: z.string().optional().openapi({ example: 'ACME PAYROLL' }),
          description: z.string().optional().openapi({ example: 'Salary November' }),
        }),
      )
      .optional()
      .openapi({ description: '`credits=income` only: the first 100 credits that would be recorded as income entries, as they would be written (not the duplicates).' }),
    profileId: z
      .string()
      .optional()
      .openapi({ example: '01JDPROFILE0000000000000001', description: 'The import profile the file would be read with: the one named by `?profile=<id>`, or the one `?profile=auto` picked (a built-in preset\'s id, such as `ynab`, when it was one). Absent without a profile.' }),
  })
  .openapi('ImportDryRun');
