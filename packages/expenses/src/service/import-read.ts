import { ProblemError, problems, PLATFORM_PROBLEMS } from '@budgeting/platform';
import { FileRowLimitError, type ImportFile, type ReadFile } from '../domain/import-file';
import { withRefunds } from '../domain/csv/refund-rows';

// One job: an import file's rows read by its format (CSV, our own or a bank's; OFX/QFX; camt.053;
// QIF), a file that cannot be read a 400 naming where, one past the row limit a 413.

/**
 * The file's rows by its format. The readers are loaded by the first import of their format,
 * not at start (see
 * bench/HISTORY.md#cold-start-what-the-first-summary-still-pays-featcoldstart-2026-11-30).
 * A file that cannot be read as a whole is a 400 naming `body` with the line (and for OFX the
 * column): nothing is imported.
 */
export async function read(file: ImportFile, currency: string, maxRows: number): Promise<ReadFile> {
  try {
    return await readByFormat(file, currency, maxRows);
  } catch (err) {
    // A bank format's reader stopped past the limit (import-file.ts), as the CSV readers do.
    if (err instanceof FileRowLimitError) throw tooManyRows(`more than ${maxRows}`, maxRows);
    throw err;
  }
}

async function readByFormat(file: ImportFile, currency: string, maxRows: number): Promise<ReadFile> {
  if (file.format === 'camt') {
    const { CamtFileError, readCamt } = await import('../domain/camt/read');
    try {
      return readCamt(file.text, currency, file.credits, maxRows);
    } catch (err) {
      if (!(err instanceof CamtFileError)) throw err;
      throw problems.validation([{ path: 'body', message: `Line ${err.line}, column ${err.column}: ${err.message}` }], 'The file is not a readable camt.053 statement; nothing was imported.');
    }
  }
  if (file.format === 'qif') {
    const { QifDateOrderError, QifFileError, readQif } = await import('../domain/qif/read');
    try {
      return readQif(file.text, file.layout?.dateFormat, file.credits, maxRows);
    } catch (err) {
      if (err instanceof QifDateOrderError) {
        throw problems.validation([{ path: 'query.dateFormat', message: err.message }], "The QIF file's dates can be read more than one way; nothing was imported.");
      }
      if (!(err instanceof QifFileError)) throw err;
      throw problems.validation([{ path: 'body', message: `Line ${err.line}: ${err.message}` }], 'The file is not a readable QIF file; nothing was imported.');
    }
  }
  if (file.format === 'ofx') {
    const { OfxFileError, readOfx } = await import('../domain/ofx/read');
    try {
      return readOfx(file.text, currency, file.credits, maxRows);
    } catch (err) {
      if (!(err instanceof OfxFileError)) throw err;
      throw problems.validation([{ path: 'body', message: `Line ${err.line}, column ${err.column}: ${err.message}` }], 'The file is not a readable OFX statement; nothing was imported.');
    }
  }
  const { CsvFileError, CsvRowLimitError, readCsv } = await import('../domain/csv/read');
  try {
    // Our own format: a negative amount is a refund. A bank's mapping skips its credits, or
    // with `credits=refunds` reads them as refunds (bank-csv.ts). Past the row limit the CSV
    // readers count the records without keeping them (CsvRowLimitError: memory stays bounded).
    if (file.layout === undefined) return { rows: withRefunds(readCsv(file.text, { maxRows })), skipped: [] };
    const { CsvLayoutError, readBankCsv } = await import('../domain/csv/bank-csv');
    try {
      return readBankCsv(file.text, file.layout, file.credits, currency, maxRows);
    } catch (err) {
      if (!(err instanceof CsvLayoutError)) throw err;
      const named = file.parameterPath?.(err.parameter) ?? { path: `query.${err.parameter}`, message: (m: string) => m };
      throw problems.validation([{ path: named.path, message: named.message(err.message) }], 'The column mapping does not fit the file; nothing was imported.');
    }
  } catch (err) {
    if (err instanceof CsvRowLimitError) throw tooManyRows(`more than ${maxRows}`, maxRows);
    if (!(err instanceof CsvFileError)) throw err;
    throw problems.validation([{ path: 'body', message: `Line ${err.line}: ${err.message}` }], 'The file is not valid CSV; nothing was imported.');
  }
}

/** The 413 of a file of more than `maxRows` rows (`rows`: its count, or "more than" it when a CSV reader stopped there). */
export function tooManyRows(rows: number | string, maxRows: number): ProblemError {
  return new ProblemError(PLATFORM_PROBLEMS['payload-too-large'], `At most ${maxRows} rows per import; split the file.`, {
    errors: [{ path: 'body', message: `The file has ${rows} rows; at most ${maxRows} per import` }],
  });
}
