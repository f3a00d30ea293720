import type { DateFormat } from '../csv/layout';

/**
 * The `dateFormat` values a QIF import may be given: the numeric ones (QIF writes no month
 * names). Only their order of day, month and year is used (qif/read.ts). Apart from the reader
 * so the route can check the parameter without loading it.
 */
export const QIF_DATE_FORMATS: readonly DateFormat[] = ['YYYY-MM-DD', 'YYYY/MM/DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY', 'DD.MM.YY', 'DD/MM/YY', 'MM/DD/YY'];

/**
 * The date formats the QIF export writes (`dateFormat` on `GET .../expenses/export?format=qif`):
 * ISO (the default: read one way by our import and GnuCash whatever the days), and the two
 * conventions of Quicken and MS Money, month first (US) and day first. Each is one our import
 * reads back given the same `dateFormat`.
 */
export const QIF_EXPORT_DATE_FORMATS = ['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY'] as const satisfies readonly DateFormat[];
export type QifExportDateFormat = (typeof QIF_EXPORT_DATE_FORMATS)[number];

/** An ISO date (`2026-11-21`) written in an export format: `11/21/2026`, `21/11/2026`, or as it is. */
export function qifExportDate(iso: string, format: QifExportDateFormat): string {
  const [year, month, day] = iso.split('-') as [string, string, string];
  if (format === 'MM/DD/YYYY') return `${month}/${day}/${year}`;
  if (format === 'DD/MM/YYYY') return `${day}/${month}/${year}`;
  return iso;
}
