import type { DateFormat } from '../csv/layout';

/**
 * The `dateFormat` values a QIF import may be given: the numeric ones (QIF writes no month
 * names). Only their order of day, month and year is used (qif/read.ts). Apart from the reader
 * so the route can check the parameter without loading it.
 */
export const QIF_DATE_FORMATS: readonly DateFormat[] = ['YYYY-MM-DD', 'YYYY/MM/DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY', 'DD.MM.YY', 'DD/MM/YY', 'MM/DD/YY'];
