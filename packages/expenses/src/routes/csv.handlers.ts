import { problems, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { CsvExportService } from '../service/csv-export.service';
import type { CsvImportService, ImportRequest } from '../service/csv-import.service';
import type { ImportRecord, ImportUndo } from '../repository/import-jobs.repository';
import type * as routes from './csv.routes';
import { preferredWaitSeconds, waitForJob, waitMs } from './prefer-wait';
import { IMPORT_MEDIA_TYPES, contentTypeCharset, importFormatOf } from '../domain/import-file';
import { csvCharsetOfLabel } from '../domain/csv/charset';
import { QIF_DATE_FORMATS } from '../domain/qif/date-formats';

export function csvHandlers(exports: CsvExportService, imports: CsvImportService) {
  const importExpenses: RouteHandler<typeof routes.importExpenses, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    // The app already refused other media types (415) and bodies over 5 MB (413). The format
    // by the media type (CSV, an OFX/QFX or camt.053 bank statement, a QIF file): the same job reads all. The body
    // was decoded (import-body.ts): an OFX one by the charset its own header declares, a CSV
    // one by its byte order mark, the Content-Type's charset (another than those read: 415)
    // or, none named, as UTF-16 if its start shows it, UTF-8 if it is and Windows-1252 if
    // not (domain/csv/charset.ts); a CSV mapping's `charset` (the query's or a
    // profile's) is applied by the service to the body's bytes.
    const contentType = c.req.header('content-type');
    const format = importFormatOf(contentType);
    if (format === undefined) throw problems.unsupportedMediaType([...IMPORT_MEDIA_TYPES]);
    const { dryRun, profile, matchRecurring, credits, delimiter, tagsSeparator, ...rest } = c.req.valid('query');
    // `delimiter=%09` (a tab character itself) means `tab`; `tagsSeparator=%20` (a space) `space`.
    const mapping = {
      ...rest,
      ...(delimiter === undefined ? {} : { delimiter: delimiter === '\t' ? ('tab' as const) : delimiter }),
      ...(tagsSeparator === undefined ? {} : { tagsSeparator: tagsSeparator === ' ' ? ('space' as const) : tagsSeparator }),
    };
    // The mapping parameters given (the service puts them over the profile's, layout.ts).
    const given = Object.keys(mapping).filter((name) => mapping[name as keyof typeof mapping] !== undefined);
    // A QIF file takes `dateFormat` (the order of its dates), nothing else of a CSV mapping.
    const notApplying = format === 'csv' ? [] : given.filter((name) => !(format === 'qif' && name === 'dateFormat'));
    if ((notApplying.length > 0 || profile !== undefined) && format !== 'csv') {
      const parameter = profile !== undefined ? 'profile' : notApplying[0]!;
      const message =
        format === 'qif'
          ? 'Applies to CSV files (text/csv, application/vnd.ms-excel) only; a QIF file takes dateFormat only'
          : 'Applies to CSV files (text/csv, application/vnd.ms-excel) only; a bank statement (OFX, camt.053) says its own layout';
      throw problems.validation([{ path: `query.${parameter}`, message }]);
    }
    if (format === 'qif' && mapping.dateFormat !== undefined && !QIF_DATE_FORMATS.includes(mapping.dateFormat)) {
      throw problems.validation([{ path: 'query.dateFormat', message: `A QIF file's dates are numbers: dateFormat must be one of ${QIF_DATE_FORMATS.join(', ')}` }]);
    }
    const label = format === 'csv' ? contentTypeCharset(contentType) : undefined;
    const declaredCharset = label === undefined ? undefined : csvCharsetOfLabel(label);
    const file: ImportRequest = {
      format,
      text: await c.req.text(),
      ...(format === 'csv' ? { bytes: new Uint8Array(await c.req.arrayBuffer()) } : {}),
      ...(declaredCharset === undefined ? {} : { declaredCharset }),
      ...(given.length > 0 ? { mapping } : {}),
      ...(profile === undefined ? {} : { profileId: profile }),
      ...(matchRecurring === 'false' ? { matchRecurring: false } : {}),
      // `skip` too: given, it overrides an import profile's `credits`.
      ...(credits === undefined ? {} : { credits }),
    };
    if (dryRun === 'true') return c.json(await imports.dryRun(budgetId, c.get('userId'), file), 200);

    const started = await imports.start(budgetId, c.get('userId'), file);
    c.header('Location', `/v1/budgets/${budgetId}/imports/${started.id}`);
    const wait = preferredWaitSeconds(c.req.header('prefer'));
    if (wait === undefined) return c.json(importView(started), 202);
    c.header('Preference-Applied', `wait=${wait}`);
    const latest = await waitForJob(() => imports.peek(budgetId, started.id), waitMs(wait, c.get('receivedAt')));
    const record = latest ?? started;
    return record.status === 'succeeded' || record.status === 'failed' ? c.json(importView(record), 200) : c.json(importView(record), 202);
  };

  const getImport: RouteHandler<typeof routes.getImport, AppEnv> = async (c) => {
    const { budgetId, importId } = c.req.valid('param');
    return c.json(importView(await imports.get(budgetId, c.get('userId'), importId)), 200);
  };

  const exportExpenses: RouteHandler<typeof routes.exportExpenses, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const file = await exports.export(budgetId, c.get('userId'), c.req.valid('query'));
    return c.body(file.body, 200, {
      'Content-Type': file.mediaType,
      'Content-Disposition': `attachment; filename="${file.filename}"`,
    });
  };

  return { importExpenses, getImport, exportExpenses };
}

/** The import as the API shows it (without the owner and the chunk count; its undo without its bookkeeping). */
export function importView(r: ImportRecord) {
  return {
    id: r.id,
    status: r.status,
    total: r.total,
    processed: r.processed,
    imported: r.imported,
    duplicates: r.duplicates,
    matched: r.matched,
    ...(r.incomeImported === undefined ? {} : { incomeImported: r.incomeImported }),
    errorCount: r.errorCount,
    errors: r.errors,
    ...(r.skipped === undefined ? {} : { skipped: r.skipped }),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    ...(r.profileId === undefined ? {} : { profileId: r.profileId }),
    ...(r.failureCode ? { failureCode: r.failureCode } : {}),
    ...(r.undo ? { undo: undoView(r.undo) } : {}),
  };
}

function undoView(u: ImportUndo) {
  return {
    status: u.status,
    removed: u.removed,
    kept: u.kept,
    gone: u.gone,
    total: u.total,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
    ...(u.finishedAt ? { finishedAt: u.finishedAt } : {}),
    ...(u.failure ? { failure: u.failure } : {}),
    ...(u.failureCode ? { failureCode: u.failureCode } : {}),
  };
}
